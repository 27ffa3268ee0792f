/**
 * The doctor's live waiting room: which of the doctor's patients are in a
 * call room now, and whether the doctor is with them. Kept in Deno KV (so
 * every isolate agrees) and announced on the relay channel
 * `doctor:<id>`, which the dashboard's event stream follows.
 *
 * @module
 */
import type {
  WaitingPatient,
  WaitingRoomEvent,
} from "@/lib/protocol/messages.ts";
import { keys } from "@/lib/store/keys.ts";
import type { Relay } from "./relay.ts";

/** A waiting patient as kept in KV: with the room's last sign of life. */
interface WaitingEntry extends WaitingPatient {
  heartbeatAt: number;
}

export const doctorChannel = (doctorId: string) => `doctor:${doctorId}`;

export class WaitingRoom {
  constructor(
    readonly kv: Deno.Kv,
    readonly relay: Relay,
    readonly staleMs: number,
  ) {}

  async update(
    doctorId: string,
    patient: WaitingPatient,
    now = Date.now(),
  ) {
    await this.kv.set(keys.waitingPatient(doctorId, patient.roomId), {
      ...patient,
      heartbeatAt: now,
    }, {
      expireIn: this.staleMs * 2,
    });
    const event: WaitingRoomEvent = { kind: "waiting", patient };
    this.relay.publish(doctorChannel(doctorId), event);
  }

  async remove(doctorId: string, roomId: string) {
    await this.kv.delete(keys.waitingPatient(doctorId, roomId));
    const event: WaitingRoomEvent = { kind: "gone", roomId };
    this.relay.publish(doctorChannel(doctorId), event);
  }

  /** The doctor's patients in rooms now, longest waiting first. */
  async list(doctorId: string, now = Date.now()): Promise<WaitingEntry[]> {
    const out: WaitingEntry[] = [];
    for await (
      const entry of this.kv.list<WaitingEntry>({
        prefix: keys.waitingRoom(doctorId),
      }, {
        limit: 200,
      })
    ) {
      if (now - entry.value.heartbeatAt <= this.staleMs) out.push(entry.value);
    }
    return out.sort((a, b) => a.since - b.since);
  }
}
