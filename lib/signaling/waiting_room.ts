/**
 * The doctor's live waiting room: which of the doctor's patients are in a
 * call room now, and whether the doctor is with them. Kept in Deno KV (so
 * every isolate agrees) and announced on the relay channel
 * `doctor:<id>`, which the dashboard's event stream follows.
 *
 * @module
 */
import type { Relay } from "./relay.ts";

export interface WaitingPatient {
  roomId: string;
  patientName: string;
  /** When the patient entered, ms. */
  since: number;
  /** Whether the doctor is in the room too. */
  withDoctor: boolean;
  heartbeatAt: number;
}

export type WaitingRoomEvent =
  | { kind: "waiting"; patient: Omit<WaitingPatient, "heartbeatAt"> }
  | { kind: "gone"; roomId: string };

const entryKey = (
  doctorId: string,
  roomId: string,
) => ["waiting_room", doctorId, roomId];
export const doctorChannel = (doctorId: string) => `doctor:${doctorId}`;

export class WaitingRoom {
  constructor(
    readonly kv: Deno.Kv,
    readonly relay: Relay,
    readonly staleMs: number,
  ) {}

  async update(
    doctorId: string,
    patient: Omit<WaitingPatient, "heartbeatAt">,
    now = Date.now(),
  ) {
    await this.kv.set(entryKey(doctorId, patient.roomId), {
      ...patient,
      heartbeatAt: now,
    }, {
      expireIn: this.staleMs * 2,
    });
    this.relay.publish(doctorChannel(doctorId), { kind: "waiting", patient });
  }

  async remove(doctorId: string, roomId: string) {
    await this.kv.delete(entryKey(doctorId, roomId));
    this.relay.publish(doctorChannel(doctorId), { kind: "gone", roomId });
  }

  /** The doctor's patients in rooms now, longest waiting first. */
  async list(doctorId: string, now = Date.now()): Promise<WaitingPatient[]> {
    const out: WaitingPatient[] = [];
    for await (
      const entry of this.kv.list<WaitingPatient>({
        prefix: ["waiting_room", doctorId],
      }, {
        limit: 200,
      })
    ) {
      if (now - entry.value.heartbeatAt <= this.staleMs) out.push(entry.value);
    }
    return out.sort((a, b) => a.since - b.since);
  }
}
