import { type Signal, useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { CallStatus, PeerMedia } from "../lib/call/call_events.ts";
import { CallClient } from "../lib/call/call_client.ts";
import {
  connectEarly,
  type EarlyConnection,
  warmUpWebRtc,
} from "../lib/call/early_connection.ts";
import {
  explainMediaError,
  type MediaProblem,
} from "../lib/call/media_help.ts";
import type { QualitySummary } from "../lib/call/quality.ts";
import {
  type ChatLine,
  MAX_CHAT_TEXT,
  type Role,
} from "../lib/protocol/messages.ts";

export interface CallProps {
  role: Role;
  /** Where to POST for a join ticket. */
  ticketUrl: string;
  /** How to speak of the other participant: "the doctor", "Ada Lovelace". */
  peerLabel: string;
  /** Where "Back" leads after the call. */
  doneUrl: string;
  /** The doctor's record of the visit, offered once the call is over. */
  reportUrl?: string;
}

function statusText(
  status: CallStatus,
  role: string,
  peer: string,
  detail?: string,
): string {
  switch (status) {
    case "connecting":
      return "Connecting…";
    case "waiting":
      return role === "patient"
        ? "You are in the waiting room. The doctor will join you shortly."
        : `Waiting for ${peer} to join.`;
    case "joining-peer":
      return `Connecting to ${peer}…`;
    case "connected":
      return `Connected with ${peer}.`;
    case "reconnecting":
      return "Reconnecting…";
    case "poor":
      return "Poor connection: the picture may freeze.";
    case "peer-left":
      return `${peer[0].toUpperCase()}${peer.slice(1)} left the call.`;
    case "ended":
      return detail ?? "The visit has ended.";
    case "failed":
      return detail ?? "The call could not connect.";
  }
}

function Video(
  { stream, muted, label, className }: {
    stream: MediaStream | null;
    muted: boolean;
    label: string;
    className: string;
  },
) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) {
      ref.current.srcObject = stream;
      if (stream) ref.current.play().catch(() => {});
    }
  }, [stream]);
  return (
    <video
      ref={ref}
      class={className}
      aria-label={label}
      autoplay
      playsinline
      muted={muted}
    />
  );
}

function MicLevel({ stream }: { stream: MediaStream }) {
  const level = useSignal(0);
  useEffect(() => {
    const AudioContextClass = globalThis.AudioContext;
    if (!AudioContextClass || stream.getAudioTracks().length === 0) return;
    const context = new AudioContextClass();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(stream).connect(analyser);
    const data = new Uint8Array(analyser.fftSize);
    let frame = 0;
    const measure = () => {
      analyser.getByteTimeDomainData(data);
      let sum = 0;
      for (const v of data) sum += (v - 128) ** 2;
      level.value = Math.min(1, Math.sqrt(sum / data.length) / 40);
      frame = requestAnimationFrame(measure);
    };
    measure();
    return () => {
      cancelAnimationFrame(frame);
      context.close();
    };
  }, [stream]);
  return (
    <meter
      class="mic-level"
      min={0}
      max={1}
      value={level.value}
      aria-label="Microphone level"
    />
  );
}

async function openMedia(audioId?: string, videoId?: string, facing?: string) {
  return await navigator.mediaDevices.getUserMedia({
    audio: audioId ? { deviceId: { exact: audioId } } : true,
    video: videoId ? { deviceId: { exact: videoId } } : {
      facingMode: facing ?? "user",
      width: { ideal: 1280 },
      height: { ideal: 720 },
    },
  });
}

/** The call page: device check, waiting room, the call itself and its chat. */
export default function Call(props: CallProps) {
  const local = useSignal<MediaStream | null>(null);
  const remote = useSignal<MediaStream | null>(null);
  const problem = useSignal<MediaProblem | null>(null);
  const devices = useSignal<MediaDeviceInfo[]>([]);
  const phase = useSignal<"check" | "call" | "done">("check");
  const status = useSignal<CallStatus>("connecting");
  const detail = useSignal<string | undefined>(undefined);
  const chat = useSignal<ChatLine[]>([]);
  const unread = useSignal(0);
  const chatOpen = useSignal(true);
  const chatNotice = useSignal("");
  const draft = useSignal("");
  const media = useSignal<PeerMedia>({ audio: true, video: true });
  const peerMedia = useSignal<PeerMedia>({ audio: true, video: true });
  const quality = useSignal<QualitySummary | null>(null);
  const sharing = useSignal(false);
  const facing = useSignal<"user" | "environment">("user");
  const session = useRef<CallClient | null>(null);

  // A reload during the call (or a phone reopening the tab) goes straight
  // back in: the person already passed the device check in this tab.
  const rejoinKey = `clinic-call:${props.ticketUrl}`;
  const remember = (inCall: boolean) => {
    try {
      if (inCall) sessionStorage.setItem(rejoinKey, "in-call");
      else sessionStorage.removeItem(rejoinKey);
    } catch {
      // Storage may be off (private browsing): the device check shows again.
    }
  };
  useEffect(() => {
    let wasInCall = false;
    try {
      wasInCall = sessionStorage.getItem(rejoinKey) === "in-call";
    } catch {
      wasInCall = false;
    }
    if (wasInCall) {
      void startDevices().then(() => {
        if (local.value) join();
      });
    }
    return () => session.current?.leave();
  }, []);

  // The ticket and socket are made ready while the person checks their
  // camera, once the camera works: "Join" then has only to say so.
  const early = useRef<Promise<EarlyConnection | null> | null>(null);

  async function startDevices(audioId?: string, videoId?: string) {
    problem.value = null;
    if (!globalThis.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      problem.value = explainMediaError(null, false);
      return;
    }
    try {
      const stream = await openMedia(audioId, videoId, facing.value);
      local.value?.getTracks().forEach((t) => t.stop());
      local.value = stream;
      devices.value = await navigator.mediaDevices.enumerateDevices();
      if (!early.current) {
        early.current = connectEarly(props.ticketUrl);
        void warmUpWebRtc();
      }
    } catch (error) {
      problem.value = explainMediaError(error);
    }
  }

  function join() {
    if (!local.value) return;
    phase.value = "call";
    remember(true);
    const call = new CallClient({
      ticketUrl: props.ticketUrl,
      early: early.current ?? undefined,
      local: local.value,
      iceTransportPolicy:
        new URLSearchParams(location.search).get("relay") === "only"
          ? "relay"
          : "all",
      events: {
        status(next, why) {
          status.value = next;
          detail.value = why;
          if (next === "ended") {
            phase.value = "done";
            remember(false);
          }
        },
        remoteStream(stream) {
          remote.value = stream;
        },
        chat(line) {
          if (chat.value.some((l) => l.id === line.id)) return;
          chat.value = [...chat.value, line];
          if (
            line.from !== props.role && (!chatOpen.value || document.hidden)
          ) unread.value++;
        },
        chatHistory(lines) {
          chat.value = lines;
        },
        chatRefused(message) {
          // Give the unsent line back to the box, and say why.
          const own = chat.value.findLast((l) => l.id.startsWith("own-"));
          if (own) {
            chat.value = chat.value.filter((l) => l !== own);
            draft.value = own.text;
          }
          chatNotice.value = message;
        },
        peerMedia(next) {
          peerMedia.value = next;
        },
        quality(summary) {
          quality.value = summary;
        },
        ended(by) {
          phase.value = "done";
          remember(false);
          status.value = "ended";
          detail.value = by === "doctor"
            ? "The doctor ended the visit. Thank you."
            : "You left the visit.";
          local.value?.getTracks().forEach((t) => t.stop());
        },
      },
    });
    session.current = call;
    (globalThis as unknown as { clinicCall?: CallClient }).clinicCall = call;
    void call.start();
  }

  function toggle(kind: "audio" | "video") {
    media.value = { ...media.value, [kind]: !media.value[kind] };
    session.current?.setMedia(media.value);
  }

  async function switchCamera() {
    facing.value = facing.value === "user" ? "environment" : "user";
    const cameras = devices.value.filter((d) => d.kind === "videoinput");
    const current = local.value?.getVideoTracks()[0]?.getSettings().deviceId;
    const next = cameras[
      (cameras.findIndex((c) => c.deviceId === current) + 1) % cameras.length
    ];
    const stream = await navigator.mediaDevices.getUserMedia({
      video: next
        ? { deviceId: { exact: next.deviceId } }
        : { facingMode: facing.value },
    });
    const track = stream.getVideoTracks()[0];
    const old = local.value!.getVideoTracks()[0];
    local.value!.removeTrack(old);
    old.stop();
    local.value!.addTrack(track);
    local.value = new MediaStream(local.value!.getTracks());
    await session.current?.replaceVideo(track);
  }

  async function shareScreen() {
    const camera = local.value?.getVideoTracks()[0];
    if (sharing.value) {
      if (camera) await session.current?.replaceVideo(camera);
      sharing.value = false;
      return;
    }
    try {
      const screen = await navigator.mediaDevices.getDisplayMedia({
        video: true,
      });
      const track = screen.getVideoTracks()[0];
      track.onended = () => {
        if (camera) void session.current?.replaceVideo(camera);
        sharing.value = false;
      };
      await session.current?.replaceVideo(track);
      sharing.value = true;
    } catch {
      // The person chose not to share.
    }
  }

  function send(event: Event) {
    event.preventDefault();
    const text = draft.value.trim();
    if (!text || !session.current) return;
    session.current.sendChat(text);
    chat.value = [...chat.value, {
      id: `own-${Date.now()}`,
      from: props.role,
      text,
      at: new Date().toISOString(),
    }];
    draft.value = "";
  }

  const peer = props.peerLabel;
  const canShare = typeof navigator !== "undefined" &&
    typeof navigator.mediaDevices?.getDisplayMedia === "function";
  const cameras = devices.value.filter((d) => d.kind === "videoinput");
  const mics = devices.value.filter((d) => d.kind === "audioinput");

  if (phase.value === "check") {
    return (
      <section class="call-check" data-phase="check">
        <h1>Check your camera and microphone</h1>
        {local.value
          ? (
            <>
              <Video
                stream={local.value}
                muted
                label="Your camera"
                className="preview"
              />
              <MicLevel stream={local.value} />
              <div class="device-choice">
                {cameras.length > 1 && (
                  <label>
                    Camera
                    <select
                      onChange={(e) =>
                        startDevices(
                          undefined,
                          (e.target as HTMLSelectElement).value,
                        )}
                    >
                      {cameras.map((c, i) => (
                        <option key={c.deviceId} value={c.deviceId}>
                          {c.label || `Camera ${i + 1}`}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
                {mics.length > 1 && (
                  <label>
                    Microphone
                    <select
                      onChange={(e) =>
                        startDevices((e.target as HTMLSelectElement).value)}
                    >
                      {mics.map((m, i) => (
                        <option key={m.deviceId} value={m.deviceId}>
                          {m.label || `Microphone ${i + 1}`}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
              </div>
              <p>
                If you can see yourself and the bar moves when you speak, you
                are ready.
              </p>
              <button type="button" class="button big" onClick={join}>
                Join the visit
              </button>
            </>
          )
          : (
            <button
              type="button"
              class="button big"
              onClick={() => startDevices()}
            >
              Start camera and microphone
            </button>
          )}
        {problem.value && (
          <div class="alert alert-error" role="alert">
            <strong>{problem.value.title}.</strong> {problem.value.help}
          </div>
        )}
      </section>
    );
  }

  return (
    <section class="call" data-phase={phase.value} data-status={status.value}>
      <p class="call-status" role="status" aria-live="polite">
        {statusText(status.value, props.role, peer, detail.value)}
      </p>
      {phase.value === "done"
        ? (
          <p class="actions">
            {props.reportUrl && (
              <a class="button" href={props.reportUrl}>
                Visit report and notes
              </a>
            )}
            <a class="button secondary" href={props.doneUrl}>Back</a>
          </p>
        )
        : (
          <>
            <div class={remote.value ? "stage" : "stage alone"}>
              <Video
                stream={remote.value}
                muted={false}
                label={`Video of ${peer}`}
                className="remote"
              />
              <Video
                stream={local.value}
                muted
                label="Your camera"
                className="self"
              />
              <div class="peer-media" aria-live="polite">
                {!peerMedia.value.audio && (
                  <span class="badge">{peer} is muted</span>
                )}
                {!peerMedia.value.video && (
                  <span class="badge">{peer}'s camera is off</span>
                )}
              </div>
              {quality.value && (
                <span
                  class={`quality quality-${quality.value.rating}`}
                  title="Connection quality"
                >
                  {quality.value.rating === "unknown"
                    ? "…"
                    : quality.value.rating}
                  {quality.value.rttMs !== null &&
                    ` · ${Math.round(quality.value.rttMs)} ms`}
                  {quality.value.relayed !== null &&
                    (quality.value.relayed ? " · relayed" : " · direct")}
                </span>
              )}
            </div>
            <div class="controls" role="toolbar" aria-label="Call controls">
              <button
                type="button"
                class="button secondary"
                aria-pressed={!media.value.audio}
                onClick={() => toggle("audio")}
              >
                {media.value.audio ? "Mute" : "Unmute"}
              </button>
              <button
                type="button"
                class="button secondary"
                aria-pressed={!media.value.video}
                onClick={() =>
                  toggle("video")}
              >
                {media.value.video ? "Camera off" : "Camera on"}
              </button>
              {cameras.length > 1 && (
                <button
                  type="button"
                  class="button secondary"
                  onClick={switchCamera}
                >
                  Switch camera
                </button>
              )}
              {canShare && (
                <button
                  type="button"
                  class="button secondary"
                  aria-pressed={sharing.value}
                  onClick={shareScreen}
                >
                  {sharing.value ? "Stop sharing" : "Share screen"}
                </button>
              )}
              <button
                type="button"
                class="button secondary"
                aria-expanded={chatOpen.value}
                onClick={() => {
                  chatOpen.value = !chatOpen.value;
                  if (chatOpen.value) {
                    unread.value = 0;
                  }
                }}
              >
                Chat{unread.value > 0 && (
                  <span class="unread" aria-label={`${unread.value} unread`}>
                    {unread.value}
                  </span>
                )}
              </button>
              <button
                type="button"
                class="button secondary"
                onClick={() =>
                  session.current?.leave()}
              >
                Leave
              </button>
              {props.role === "doctor" && (
                <button
                  type="button"
                  class="button danger"
                  onClick={() => session.current?.endVisit()}
                >
                  End visit
                </button>
              )}
            </div>
            {chatOpen.value && (
              <ChatPanel
                chat={chat}
                notice={chatNotice}
                draft={draft}
                role={props.role}
                peer={peer}
                send={send}
              />
            )}
          </>
        )}
    </section>
  );
}

function ChatPanel(
  { chat, notice, draft, role, peer, send }: {
    chat: Signal<ChatLine[]>;
    notice: Signal<string>;
    draft: Signal<string>;
    role: string;
    peer: string;
    send: (e: Event) => void;
  },
) {
  return (
    <aside class="chat" aria-label="Chat">
      <ol class="chat-log" aria-live="polite" aria-label="Messages">
        {chat.value.map((line) => (
          <li key={line.id} class={line.from === role ? "own" : "theirs"}>
            <span class="who">{line.from === role ? "You" : peer}</span>{" "}
            {line.text}
          </li>
        ))}
      </ol>
      {notice.value && <p class="chat-notice" role="alert">{notice.value}</p>}
      <form onSubmit={send} class="chat-form">
        <label for="chat-input" class="visually-hidden">Message</label>
        <input
          id="chat-input"
          value={draft.value}
          maxLength={MAX_CHAT_TEXT}
          autocomplete="off"
          onInput={(e) => (draft.value = (e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="button">Send</button>
      </form>
    </aside>
  );
}
