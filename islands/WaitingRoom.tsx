import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { WaitingPatient } from "@/lib/protocol/messages.ts";

/** A short two-tone chime; browsers may keep it silent until the page was clicked once. */
function chime() {
  try {
    const context = new AudioContext();
    const now = context.currentTime;
    for (const [i, freq] of [660, 880].entries()) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.2, now + i * 0.18 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.18 + 0.16);
      osc.connect(gain).connect(context.destination);
      osc.start(now + i * 0.18);
      osc.stop(now + i * 0.18 + 0.17);
    }
    setTimeout(() => context.close(), 800);
  } catch {
    // No sound available; the visible cue remains.
  }
}

function minutesSince(ms: number, now: number) {
  const minutes = Math.max(0, Math.floor((now - ms) / 60_000));
  return minutes === 0 ? "just now" : `${minutes} min`;
}

/** The doctor's waiting room, live from the signaling server. */
export default function WaitingRoom(
  { initial }: { initial: WaitingPatient[] },
) {
  const patients = useSignal<WaitingPatient[]>(initial);
  const connected = useSignal(false);
  const now = useSignal(Date.now());
  useEffect(() => {
    const source = new EventSource("/api/waiting-room/events");
    const set = (list: WaitingPatient[]) => {
      patients.value = list.sort((a, b) => a.since - b.since);
      const waiting = list.filter((p) => !p.withDoctor).length;
      document.title = waiting > 0 ? `(${waiting}) waiting · Visits` : "Visits";
    };
    source.addEventListener("snapshot", (e) => {
      connected.value = true;
      set(JSON.parse((e as MessageEvent).data));
    });
    source.addEventListener("waiting", (e) => {
      const patient = JSON.parse((e as MessageEvent).data) as WaitingPatient;
      const known = patients.value.find((p) => p.roomId === patient.roomId);
      if (!patient.withDoctor && (!known || known.withDoctor)) chime();
      set([
        ...patients.value.filter((p) => p.roomId !== patient.roomId),
        patient,
      ]);
    });
    source.addEventListener("gone", (e) => {
      const { roomId } = JSON.parse((e as MessageEvent).data);
      set(patients.value.filter((p) => p.roomId !== roomId));
    });
    source.onerror = () => (connected.value = false);
    const timer = setInterval(() => (now.value = Date.now()), 30_000);
    return () => {
      source.close();
      clearInterval(timer);
    };
  }, []);
  const waiting = patients.value.filter((p) => !p.withDoctor);
  return (
    <section
      class={waiting.length > 0
        ? "panel waiting-room has-waiting"
        : "panel waiting-room"}
      aria-labelledby="waiting-title"
    >
      <h2 id="waiting-title">
        Waiting room{waiting.length > 0 && (
          <span class="unread">{waiting.length}</span>
        )}
      </h2>
      <div aria-live="polite">
        {patients.value.length === 0
          ? <p class="muted">Nobody is waiting.</p>
          : (
            <ul class="waiting-list">
              {patients.value.map((p) => (
                <li key={p.roomId} data-room={p.roomId}>
                  <strong>{p.patientName}</strong> {p.withDoctor
                    ? <span class="badge badge-live">in the call with you</span>
                    : (
                      <span class="badge">
                        waiting {minutesSince(p.since, now.value)}
                      </span>
                    )}{" "}
                  <a class="button" href={`/appointments/${p.roomId}/call`}>
                    {p.withDoctor ? "Return to call" : "Join"}
                  </a>
                </li>
              ))}
            </ul>
          )}
      </div>
      {!connected.value && <p class="muted">Connecting to live updates…</p>}
    </section>
  );
}
