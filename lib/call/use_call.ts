/**
 * The Call island's state and actions: the device check, joining (straight
 * back in after a reload), the call client's reports turned into signals,
 * the controls, screen sharing and chat. The island and its components only
 * render what this holds.
 *
 * @module
 */
import { useComputed, useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import {
  type ChatLine,
  isPolite,
  type Role,
  type WaitingNote,
} from "@/lib/protocol/messages.ts";
import type { CallNote, CallStatus, PeerMedia } from "./call_events.ts";
import { CallClient } from "./call_client.ts";
import {
  canShareScreen,
  captureMedia,
  captureWithFallback,
  type DeviceChoice,
  type Facing,
  nextCamera,
} from "./devices.ts";
import {
  connectEarly,
  type EarlyStart,
  warmUpWebRtc,
} from "./early_connection.ts";
import {
  explainCameraError,
  explainMediaError,
  type MediaProblem,
} from "./media_help.ts";
import { PreparedOffer } from "./prepared_offer.ts";
import type { QualitySummary } from "./quality.ts";
import {
  callStartedAt,
  rememberInCall,
  rememberStart,
  wasInCall,
} from "./rejoin.ts";
import { exposeForTests, iceTransportPolicy } from "./test_hooks.ts";

export interface CallSetup {
  role: Role;
  /** Where to POST for a join ticket. */
  ticketUrl: string;
  /** `globalThis.clinicCall` and `?relay=only`, for browser tests only. */
  testHooks?: boolean;
}

/** What the call page shows and can do; `useCall` makes it. */
export type CallState = ReturnType<typeof useCall>;

export function useCall(setup: CallSetup) {
  const local = useSignal<MediaStream | null>(null);
  const remote = useSignal<MediaStream | null>(null);
  const problem = useSignal<MediaProblem | null>(null);
  /** Why the camera failed while the microphone works (joining by voice). */
  const cameraProblem = useSignal<MediaProblem | null>(null);
  /** The other side's stream has a video track (it may still be off). */
  const remoteVideo = useSignal(false);
  /** When both were first connected: the call's timer counts from here. */
  const startedAt = useSignal<number | null>(null);
  const devices = useSignal<MediaDeviceInfo[]>([]);
  const phase = useSignal<"check" | "call" | "done">("check");
  const status = useSignal<CallStatus>("connecting");
  const note = useSignal<CallNote | undefined>(undefined);
  const chat = useSignal<ChatLine[]>([]);
  const unread = useSignal(0);
  const chatOpen = useSignal(true);
  /** The server refused the last chat line. */
  const chatRefused = useSignal(false);
  const draft = useSignal("");
  const media = useSignal<PeerMedia>({ audio: true, video: true });
  const peerMedia = useSignal<PeerMedia>({ audio: true, video: true });
  const quality = useSignal<QualitySummary | null>(null);
  /** The doctor's latest note to the waiting patient. */
  const waitingNote = useSignal<WaitingNote | null>(null);
  const sharing = useSignal(false);
  const facing = useSignal<Facing>("user");
  const cameras = useComputed(() =>
    devices.value.filter((d) => d.kind === "videoinput")
  );
  const microphones = useComputed(() =>
    devices.value.filter((d) => d.kind === "audioinput")
  );
  const client = useRef<CallClient | null>(null);
  // The ticket and socket are made ready while the person checks their
  // camera, once the camera works: "Join" then has only to say so.
  const early = useRef<EarlyStart | null>(null);
  // And, for the side that offers, the offer itself (`prepareOffer`).
  const prepared = useRef<PreparedOffer | null>(null);
  const remember = (inCall: boolean) => rememberInCall(setup.ticketUrl, inCall);

  useEffect(() => {
    startedAt.value = callStartedAt(setup.ticketUrl);
    if (wasInCall(setup.ticketUrl)) {
      void startDevices().then(() => {
        if (local.value) join();
      });
    }
    return () => {
      client.current?.leave();
      prepared.current?.close();
    };
  }, []);

  async function startDevices(choice: DeviceChoice = {}) {
    problem.value = null;
    if (!globalThis.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      problem.value = explainMediaError(null, false);
      return;
    }
    try {
      const { stream, cameraError } = await captureWithFallback({
        ...choice,
        facing: facing.value,
      });
      cameraProblem.value = cameraError
        ? explainCameraError(cameraError)
        : null;
      local.value?.getTracks().forEach((t) => t.stop());
      local.value = stream;
      devices.value = await navigator.mediaDevices.enumerateDevices();
      if (!early.current) {
        early.current = connectEarly(setup.ticketUrl);
        void early.current.ready.then(() => {
          if (phase.value === "check" && !prepareOffer()) void warmUpWebRtc();
        });
      } else prepareOffer();
    } catch (error) {
      problem.value = explainMediaError(error);
    }
  }

  /**
   * The side that offers makes its offer now, with the camera as it is
   * (again after another device is picked), on the early ticket; answers
   * whether it did.
   */
  function prepareOffer(): boolean {
    prepared.current?.close();
    prepared.current = null;
    const ticket = early.current?.settled?.offer;
    if (!ticket || isPolite(ticket.role) || !local.value) return false;
    if (phase.value !== "check") return false;
    prepared.current = new PreparedOffer(
      ticket,
      local.value,
      iceTransportPolicy(setup.testHooks, location.search),
    );
    return true;
  }

  /** Over for good: the visit ended, or it cannot be joined any more. */
  function over() {
    phase.value = "done";
    remember(false);
    rememberStart(setup.ticketUrl, null);
  }

  function join() {
    if (!local.value) return;
    phase.value = "call";
    remember(true);
    media.value = {
      audio: true,
      video: local.value.getVideoTracks().length > 0,
    };
    const call = new CallClient({
      ticketUrl: setup.ticketUrl,
      early: early.current ?? undefined,
      prepared: prepared.current ?? undefined,
      local: local.value,
      iceTransportPolicy: iceTransportPolicy(setup.testHooks, location.search),
      events: {
        status(next, why) {
          // A late report of the connection after the peer left changes nothing.
          if (status.value === "peer-left" && next === "poor") return;
          status.value = next;
          note.value = why;
          // The doctor came: a note about the wait is over.
          if (next === "joining-peer") waitingNote.value = null;
          if (next === "connected" && startedAt.value === null) {
            startedAt.value = Date.now();
            rememberStart(setup.ticketUrl, startedAt.value);
          }
          // The connection's hint means nothing once the other side is gone.
          if (next === "peer-left") quality.value = null;
          if (next === "ended") over();
        },
        remoteStream(stream) {
          remote.value = stream;
          remoteVideo.value = (stream?.getVideoTracks().length ?? 0) > 0;
        },
        chat(line) {
          if (chat.value.some((l) => l.id === line.id)) return;
          chat.value = [...chat.value, line];
          if (
            line.from !== setup.role && (!chatOpen.value || document.hidden)
          ) unread.value++;
        },
        chatHistory(lines) {
          // The same conversation (as a rule, none yet at the join) redraws
          // nothing while the call is being set up.
          const shown = chat.value;
          if (
            lines.length === shown.length &&
            lines.every((line, i) => line.id === shown[i].id)
          ) return;
          chat.value = lines;
        },
        chatRefused() {
          // Give the unsent line back to the box, and say why.
          const own = chat.value.findLast((l) => l.id.startsWith("own-"));
          if (own) {
            chat.value = chat.value.filter((l) => l !== own);
            draft.value = own.text;
          }
          chatRefused.value = true;
        },
        peerMedia(next) {
          // Each arrival says it again; only a change redraws.
          const now = peerMedia.value;
          if (next.audio !== now.audio || next.video !== now.video) {
            peerMedia.value = next;
          }
        },
        quality(summary) {
          quality.value = summary;
        },
        waitingNote(note) {
          waitingNote.value = note;
        },
        ended(how) {
          if (how === "youLeft") {
            // Left, not ended: the visit stays open to come back to.
            phase.value = "done";
            remember(false);
          } else over();
          status.value = "ended";
          note.value = how;
          quality.value = null;
          local.value?.getTracks().forEach((t) => t.stop());
        },
      },
    });
    // The call takes the prepared offer over, or closes it.
    prepared.current = null;
    client.current = call;
    exposeForTests(setup.testHooks, call);
    void call.start();
  }

  /** Back into a visit this side left: the devices again, then the call. */
  async function rejoin() {
    local.value = null;
    remote.value = null;
    remoteVideo.value = false;
    early.current = null;
    prepared.current?.close();
    prepared.current = null;
    status.value = "connecting";
    note.value = undefined;
    phase.value = "check";
    await startDevices();
    if (local.value) join();
  }

  function toggleMedia(kind: "audio" | "video") {
    media.value = { ...media.value, [kind]: !media.value[kind] };
    client.current?.setMedia(media.value);
  }

  async function switchCamera() {
    facing.value = facing.value === "user" ? "environment" : "user";
    const current = local.value?.getVideoTracks()[0]?.getSettings().deviceId;
    const stream = await captureMedia({
      audioId: false,
      videoId: nextCamera(cameras.value, current)?.deviceId,
      facing: facing.value,
    });
    const track = stream.getVideoTracks()[0];
    const old = local.value!.getVideoTracks()[0];
    local.value!.removeTrack(old);
    old.stop();
    local.value!.addTrack(track);
    local.value = new MediaStream(local.value!.getTracks());
    await client.current?.replaceVideo(track);
  }

  async function shareScreen() {
    const camera = local.value?.getVideoTracks()[0];
    if (sharing.value) {
      if (camera) await client.current?.replaceVideo(camera);
      sharing.value = false;
      return;
    }
    try {
      const screen = await navigator.mediaDevices.getDisplayMedia({
        video: true,
      });
      const track = screen.getVideoTracks()[0];
      track.onended = () => {
        if (camera) void client.current?.replaceVideo(camera);
        sharing.value = false;
      };
      await client.current?.replaceVideo(track);
      sharing.value = true;
    } catch {
      // The person chose not to share.
    }
  }

  function toggleChat() {
    chatOpen.value = !chatOpen.value;
    if (chatOpen.value) unread.value = 0;
  }

  function sendChat(event: Event) {
    event.preventDefault();
    const text = draft.value.trim();
    if (!text || !client.current) return;
    client.current.sendChat(text);
    chat.value = [...chat.value, {
      id: `own-${Date.now()}`,
      from: setup.role,
      text,
      at: new Date().toISOString(),
    }];
    draft.value = "";
  }

  return {
    role: setup.role,
    local,
    remote,
    remoteVideo,
    problem,
    cameraProblem,
    startedAt,
    cameras,
    microphones,
    phase,
    status,
    note,
    chat,
    unread,
    chatOpen,
    chatRefused,
    draft,
    media,
    peerMedia,
    quality,
    waitingNote,
    sharing,
    canShare: canShareScreen(),
    startDevices,
    join,
    rejoin,
    toggleMedia,
    switchCamera,
    shareScreen,
    toggleChat,
    sendChat,
    leave: () => client.current?.leave(),
    endVisit: () => client.current?.endVisit(),
  };
}
