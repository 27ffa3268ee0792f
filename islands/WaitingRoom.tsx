import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import {
  checkIn as patientText,
  WAITING_NOTE_PRESETS,
  type WaitingNotePreset,
} from "@/lib/i18n/text/check_in.ts";
import {
  MAX_WAITING_NOTE,
  type WaitingNote,
  type WaitingPatient,
} from "@/lib/protocol/messages.ts";

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

/**
 * One formatter per zone: building an `Intl.DateTimeFormat` costs far more
 * than using one, and the dashboard shows a time for every waiting patient.
 */
const clocks = new Map<string, Intl.DateTimeFormat>();

function clock(ms: number, timeZone: string) {
  let format = clocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      hour: "2-digit",
      minute: "2-digit",
      timeZone,
    });
    clocks.set(timeZone, format);
  }
  return format.format(ms);
}

/** "Checked in 10:02 as Ana Pérez, consent accepted", in the clinic's zone. */
function CheckedIn(
  { patient, timeZone }: { patient: WaitingPatient; timeZone: string },
) {
  const checkIn = patient.checkIn;
  if (!checkIn) return <span class="check-in muted">not checked in</span>;
  return (
    <span class="check-in">
      Checked in {clock(checkIn.at, timeZone)} as{" "}
      <strong>{checkIn.name}</strong>, consent accepted
    </span>
  );
}

const OWN = "own";

/**
 * A short note to one waiting patient: a ready-made one (the patient reads
 * it in their language) or the doctor's own words.
 */
function NoteForm(
  { patient, timeZone }: { patient: WaitingPatient; timeZone: string },
) {
  const choice = useSignal<WaitingNotePreset | typeof OWN>("late10");
  const own = useSignal("");
  const result = useSignal<
    { sent: WaitingNote } | { error: string } | null
  >(null);
  const busy = useSignal(false);
  const id = `note-${patient.roomId}`;
  async function send(event: Event) {
    event.preventDefault();
    busy.value = true;
    try {
      const body = choice.value === OWN
        ? { text: own.value }
        : { preset: choice.value };
      const res = await fetch(
        `/api/appointments/${patient.roomId}/waiting-note`,
        {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        },
      );
      const answer = await res.json().catch(() => ({}));
      if (res.ok) {
        result.value = { sent: answer as WaitingNote };
        own.value = "";
      } else {
        const fields = answer?.error?.fields as
          | Record<string, string>
          | undefined;
        result.value = {
          error: fields?.text ?? answer?.error?.message ??
            "The message could not be sent.",
        };
      }
    } catch {
      result.value = { error: "No connection: the message was not sent." };
    } finally {
      busy.value = false;
    }
  }
  const outcome = result.value;
  return (
    <details class="note-form">
      <summary>Send a message</summary>
      <form onSubmit={send}>
        <label for={`${id}-choice`}>Message</label>
        <select
          id={`${id}-choice`}
          value={choice.value}
          onChange={(e) =>
            choice.value = (e.target as HTMLSelectElement).value as
              | WaitingNotePreset
              | typeof OWN}
        >
          {(Object.keys(WAITING_NOTE_PRESETS) as WaitingNotePreset[]).map((
            preset,
          ) => (
            <option key={preset} value={preset}>
              {patientText.en[WAITING_NOTE_PRESETS[preset]]}
            </option>
          ))}
          <option value={OWN}>Write my own message…</option>
        </select>
        {choice.value === OWN && (
          <>
            <label for={`${id}-text`}>
              Your message (up to {MAX_WAITING_NOTE} characters, one line)
            </label>
            <input
              id={`${id}-text`}
              type="text"
              maxLength={MAX_WAITING_NOTE}
              value={own.value}
              onInput={(e) => own.value = (e.target as HTMLInputElement).value}
              required
            />
          </>
        )}
        <small>
          Ready-made messages reach the patient in their language; your own as
          you wrote it.
        </small>
        <button type="submit" class="button secondary" disabled={busy.value}>
          Send
        </button>
        <p class="note-result" aria-live="polite">
          {outcome && "sent" in outcome &&
            `Sent at ${
              clock(Date.parse(outcome.sent.at), timeZone)
            }: “${outcome.sent.text}”`}
          {outcome && "error" in outcome && (
            <span class="field-error">{outcome.error}</span>
          )}
        </p>
      </form>
    </details>
  );
}

/** The doctor's waiting room, live from the signaling server. */
export default function WaitingRoom(
  { initial, timeZone }: {
    initial: WaitingPatient[];
    /** The clinic's zone, for the time of each check-in. */
    timeZone: string;
  },
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
                  <div class="waiting-details">
                    <CheckedIn patient={p} timeZone={timeZone} />
                    {!p.withDoctor && (
                      <NoteForm patient={p} timeZone={timeZone} />
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
      </div>
      {!connected.value && <p class="muted">Connecting to live updates…</p>}
    </section>
  );
}
