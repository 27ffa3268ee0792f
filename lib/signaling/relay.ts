/**
 * The relay carries signaling messages between sockets wherever they live.
 * One small interface, three ways to run it:
 * - `InProcessRelay`: one isolate (tests, `deno task start`);
 * - `BroadcastChannelRelay`: several isolates of one process
 *   (`deno serve --parallel`), local delivery plus a `BroadcastChannel`;
 * - a relay over a shared store for several machines can slot in behind the
 *   same interface.
 *
 * @module
 */
import type {
  ChatLine,
  LeaveReason,
  Role,
  WaitingRoomEvent,
} from "@/lib/protocol/messages.ts";

/**
 * What the sockets of one call room tell each other, on the room's channel.
 * `to` names the role it is for; `replaced` names the connection instead,
 * and `ended` is for everyone.
 */
export type RoomMessage =
  /** A relayed message's text as the sender wrote it, with `from` added. */
  | { kind: "signal"; to: Role; text: string }
  | { kind: "chat"; to: Role; line: ChatLine }
  | {
    kind: "peer-joined";
    to: Role;
    from: Role;
    connectionId: string;
    rejoined: boolean;
  }
  | {
    kind: "peer-left";
    to: Role;
    from: Role;
    connectionId: string;
    reason: LeaveReason;
  }
  | { kind: "replaced"; to: string }
  | { kind: "ended"; to: "*"; by: Role; at: number };

/**
 * What travels on a channel: a room's messages, or the doctor's waiting-room
 * events. Plain data, cloned between isolates (or serialised by a relay
 * over a shared store).
 */
export type RelayMessage = RoomMessage | WaitingRoomEvent;
export type RelayListener = (message: RelayMessage) => void;

export interface Relay {
  /** Delivers to every subscriber of the channel, in any isolate. */
  publish(channel: string, message: RelayMessage): void;
  /** Listens on a channel; call the returned function to stop. */
  subscribe(channel: string, listener: RelayListener): () => void;
  close(): void;
}

export class InProcessRelay implements Relay {
  readonly #channels = new Map<string, Set<RelayListener>>();

  publish(channel: string, message: RelayMessage): void {
    const listeners = this.#channels.get(channel);
    if (!listeners) return;
    for (const listener of [...listeners]) {
      try {
        listener(message);
      } catch (error) {
        console.error("relay listener failed", error);
      }
    }
  }

  subscribe(channel: string, listener: RelayListener): () => void {
    let listeners = this.#channels.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.#channels.set(channel, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#channels.delete(channel);
    };
  }

  /** How many channels have listeners here (for tests and diagnostics). */
  get channelCount(): number {
    return this.#channels.size;
  }

  close(): void {
    this.#channels.clear();
  }
}

/**
 * Local subscribers get messages directly; other isolates get them through
 * one `BroadcastChannel`, which does not echo a post to its own sender.
 */
export class BroadcastChannelRelay implements Relay {
  readonly #local = new InProcessRelay();
  readonly #channel: BroadcastChannel;

  constructor(name = "clinic-signaling") {
    this.#channel = new BroadcastChannel(name);
    this.#channel.onmessage = (event: MessageEvent) => {
      const data = event.data as { channel?: unknown; message?: unknown };
      if (
        typeof data?.channel === "string" && data.message &&
        typeof data.message === "object"
      ) {
        this.#local.publish(data.channel, data.message as RelayMessage);
      }
    };
  }

  publish(channel: string, message: RelayMessage): void {
    this.#local.publish(channel, message);
    this.#channel.postMessage({ channel, message });
  }

  subscribe(channel: string, listener: RelayListener): () => void {
    return this.#local.subscribe(channel, listener);
  }

  close(): void {
    this.#channel.close();
    this.#local.close();
  }
}
