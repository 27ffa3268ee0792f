import { loginSessionAlive } from "@/lib/auth/login_sessions.ts";
import { defineDoctor } from "@/lib/define.ts";
import type { ClinicConfig } from "@/lib/config.ts";
import { acceptsSignIn, getDoctor } from "@/lib/store/doctors.ts";
import { doctorChannel } from "@/lib/signaling/waiting_room.ts";

/** Server-sent events are kept open; a comment line now and then keeps proxies from closing them. */
const KEEP_OPEN_MS = 15_000;

/**
 * The signed-in doctor's waiting room, live, as server-sent events: first a
 * `snapshot` of the patients in the doctor's rooms, then `waiting` (a
 * patient entered, or the doctor joined or left them) and `gone` events.
 */
export const handler = defineDoctor.handlers({
  GET(ctx) {
    const doctor = ctx.state.doctor;
    const { signaling, kv, config } = ctx.state.clinic;
    const sessionHash = ctx.state.loginSessionHash;
    const encoder = new TextEncoder();
    let stop = () => {};
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (event: string, data: unknown) => {
          try {
            controller.enqueue(
              encoder.encode(
                `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
              ),
            );
          } catch {
            stop();
          }
        };
        const snapshot = async () => {
          const patients = await signaling.waitingRoom.list(doctor.id);
          send(
            "snapshot",
            patients.map(({ heartbeatAt: _h, ...patient }) => patient),
          );
        };
        const subscription = signaling.options.relay.subscribe(
          doctorChannel(doctor.id),
          (m) => {
            if (m.kind === "waiting") send("waiting", m.patient);
            else if (m.kind === "gone") send("gone", { roomId: m.roomId });
            // Events may have been lost between the servers: start over.
            else if (m.kind === "gap") void snapshot().catch(() => {});
          },
        );
        const timer = setInterval(() => {
          try {
            controller.enqueue(encoder.encode(": keep-open\n\n"));
          } catch {
            stop();
          }
        }, KEEP_OPEN_MS);
        // The stream lives only as long as the sign-in: signed out, logged
        // off for idleness, deactivated or its sessions ended, it stops.
        const check = setInterval(async () => {
          try {
            if (!(await signInStillValid(kv, config, sessionHash, doctor.id))) {
              end();
            }
          } catch {
            end(); // the store is closing: so is the server
          }
        }, config.keepaliveMs);
        const end = () => {
          stop();
          try {
            controller.close();
          } catch {
            // already closed
          }
        };
        stop = () => {
          clearInterval(timer);
          clearInterval(check);
          subscription.stop();
          signaling.streamClosers.delete(end);
        };
        signaling.streamClosers.add(end);
        // Listening first, so that nothing between the snapshot and the
        // events is missed (a relay over a broker may take a moment).
        await subscription.ready.catch(() => {});
        await snapshot();
      },
      cancel() {
        stop();
      },
    });
    return new Response(body, {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-store",
        "X-Accel-Buffering": "no",
      },
    });
  },
});

async function signInStillValid(
  kv: Deno.Kv,
  config: ClinicConfig,
  sessionHash: string,
  doctorId: string,
): Promise<boolean> {
  const session = await loginSessionAlive(kv, sessionHash, {
    idleMs: config.sessionIdleMs,
    maxMs: config.sessionMaxMs,
  });
  if (!session) return false;
  const doctor = await getDoctor(kv, doctorId);
  return doctor !== null && acceptsSignIn(doctor, session.createdAt);
}
