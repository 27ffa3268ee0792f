/**
 * The signaling hub of one isolate: it admits call sockets within the
 * limits, hands each to a `RoomConnection`, and closes them all at
 * shutdown. Rooms live in Deno KV and messages travel on the relay, so the
 * two participants may be on different isolates.
 *
 * @module
 */
import type { ClinicConfig } from "@/lib/config.ts";
import { newId } from "@/lib/store/ids.ts";
import { CLOSE, type Role } from "@/lib/protocol/messages.ts";
import { RoomConnection } from "./connection.ts";
import { KeepAlive } from "./keepalive.ts";
import { Presence } from "./presence.ts";
import type { Relay } from "./relay.ts";
import { HEARTBEAT_MS, roomChannel } from "./room_member.ts";
import { MISSED_PINGS, type Refusal, SocketCounter } from "./socket_guard.ts";
import { WaitingRoom } from "./waiting_room.ts";

export interface HubOptions {
  config: ClinicConfig;
  kv: Deno.Kv;
  relay: Relay;
}

export class SignalingHub {
  readonly isolate = newId().slice(0, 8);
  readonly presence: Presence;
  readonly waitingRoom: WaitingRoom;
  readonly connections = new Set<RoomConnection>();
  /** Pings every socket, and has joined ones write their heartbeat. */
  readonly keepAlive: KeepAlive<RoomConnection>;
  /** Ends the open waiting-room event streams (they would hold a shutdown open). */
  readonly streamClosers = new Set<() => void>();

  /** Open call sockets by client address, within the configured limits. */
  readonly sockets: SocketCounter;

  constructor(readonly options: HubOptions) {
    this.sockets = new SocketCounter({
      perAddress: options.config.signalingMaxSocketsPerAddress,
      total: options.config.signalingMaxSockets,
    });
    const staleMs = Math.max(
      3 * HEARTBEAT_MS,
      MISSED_PINGS * options.config.keepaliveMs,
    );
    this.keepAlive = new KeepAlive(options.config.keepaliveMs);
    this.presence = new Presence(options.kv, staleMs);
    this.waitingRoom = new WaitingRoom(options.kv, options.relay, staleMs);
  }

  /** Where the messages of rooms travel (the hub is its members' `RoomPlaces`). */
  get relay(): Relay {
    return this.options.relay;
  }

  /** Tells everyone in the room that the visit has ended; they are closed. */
  announceEnd(roomId: string, by: Role, at: number) {
    this.options.relay.publish(roomChannel(roomId), {
      kind: "ended",
      to: "*",
      by,
      at,
    });
  }

  /**
   * A place for one more socket from `address`, or why there is none; ask
   * before upgrading, so that a refused client costs nothing.
   */
  admit(address: string): { release(): void } | Refusal {
    return this.sockets.admit(address);
  }

  /** Takes charge of an upgraded socket until it closes. */
  accept(
    socket: WebSocket,
    place: { release(): void } = { release() {} },
  ): RoomConnection {
    const connection = new RoomConnection(this, socket, place);
    this.connections.add(connection);
    this.keepAlive.add(connection);
    return connection;
  }

  /** The connection is closed and out of its room: nothing is kept of it. */
  forget(connection: RoomConnection) {
    this.connections.delete(connection);
    this.keepAlive.delete(connection);
  }

  /**
   * Closes every socket and waits until each has left its room. The close
   * code tells the browsers to come back at once: another server (or this
   * one, restarted) takes them in.
   */
  async close() {
    for (const closeStream of [...this.streamClosers]) closeStream();
    await Promise.all(
      [...this.connections].map((c) =>
        c.close(CLOSE.restart, "server restarting")
      ),
    );
  }
}
