/**
 * One participant's side of a call, in the browser: the signaling socket
 * (with reconnection), the `RTCPeerConnection` with perfect negotiation, ICE
 * restarts, chat and quality reports. The Call island renders what this
 * reports; `docs/protocol.md` is the protocol it speaks.
 *
 * @module
 */
import {
  type ChatLine,
  type ClientMessage,
  CLOSE,
  type JoinOffer,
  type Role,
  type ServerMessage,
} from "../protocol/messages.ts";
import {
  type QualitySample,
  type QualitySummary,
  sampleStats,
  summarise,
} from "./quality.ts";

export type CallStatus =
  | "connecting"
  | "waiting"
  | "joining-peer"
  | "connected"
  | "reconnecting"
  | "poor"
  | "peer-left"
  | "ended"
  | "failed";

export interface PeerMedia {
  audio: boolean;
  video: boolean;
}

export interface CallEvents {
  status(status: CallStatus, detail?: string): void;
  remoteStream(stream: MediaStream | null): void;
  chat(line: ChatLine): void;
  /** The whole conversation so far, on every (re)join. */
  chatHistory(lines: ChatLine[]): void;
  /** The server refused the last line sent (the visit's chat is full). */
  chatRefused(message: string): void;
  peerMedia(media: PeerMedia): void;
  quality(summary: QualitySummary): void;
  ended(by: "doctor" | "me"): void;
}

export interface CallOptions {
  /** POST here for a join ticket (the visit's or the appointment's). */
  ticketUrl: string;
  local: MediaStream;
  events: CallEvents;
  /** "relay" forces media through TURN (tests, strict networks). */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** A ticket and socket made ready during the device check (`connectEarly`). */
  early?: Promise<EarlyConnection | null>;
}

/** A ticket fetched and a socket opened before the person clicks "Join". */
export interface EarlyConnection {
  offer: JoinOffer;
  ws: WebSocket;
  fetchedAt: number;
}

/** Tickets last two minutes; an older early one is not used. */
const EARLY_TICKET_MS = 90_000;

/**
 * Fetches the join ticket and opens the signaling socket while the person
 * is still checking their camera, so that "Join" has only to send
 * `join-room`. Anything unusual (the visit not open yet, no network) gives
 * `null`, and the join then takes the ordinary path with its messages.
 */
export async function connectEarly(
  ticketUrl: string,
): Promise<EarlyConnection | null> {
  try {
    const res = await fetch(ticketUrl, { method: "POST" });
    if (!res.ok) {
      await res.body?.cancel();
      return null;
    }
    const offer = await res.json() as JoinOffer;
    const ws = new WebSocket(offer.signalingUrl);
    // Until the join, keep the socket alive through the server's pings.
    ws.onmessage = (event) => {
      if (String(event.data).includes('"ping"')) {
        ws.send(JSON.stringify({ type: "pong" }));
      }
    };
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error("socket failed"));
    });
    return { offer, ws, fetchedAt: Date.now() };
  } catch {
    return null;
  }
}

/**
 * The browser sets up its WebRTC machinery (codecs, network interfaces) on
 * the first offer a page makes, which on a slow phone takes a noticeable
 * moment. Making one throwaway offer during the device check moves that
 * moment out of the call's setup.
 */
export async function warmUpWebRtc() {
  try {
    const pc = new RTCPeerConnection();
    pc.addTransceiver("audio");
    pc.addTransceiver("video");
    await pc.setLocalDescription();
    pc.close();
  } catch {
    // Only a head start: the call sets everything up anyway.
  }
}

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];
const QUALITY_EVERY_MS = 2000;
const REPORT_EVERY = 3;

export class CallSession {
  role: Role | null = null;
  #ws: WebSocket | null = null;
  #pc: RTCPeerConnection | null = null;
  #polite = false;
  #makingOffer = false;
  #ignoreOffer = false;
  #iceServers: RTCIceServer[] = [];
  #attempt = 0;
  #stopped = false;
  #peerPresent = false;
  #media: PeerMedia = { audio: true, video: true };
  #statsTimer: ReturnType<typeof setInterval> | undefined;
  #previous: QualitySample | null = null;
  #samples = 0;
  #restartTimer: ReturnType<typeof setTimeout> | undefined;
  #queue: Promise<void> = Promise.resolve();

  constructor(readonly options: CallOptions) {}

  get #events() {
    return this.options.events;
  }

  async start() {
    this.#stopped = false;
    await this.#connect();
  }

  /** The early connection, once, if it is still fresh and open. */
  async #takeEarly(): Promise<EarlyConnection | null> {
    const pending = this.options.early;
    this.options.early = undefined;
    const early = await pending?.catch(() => null) ?? null;
    if (
      early && early.ws.readyState === WebSocket.OPEN &&
      Date.now() - early.fetchedAt < EARLY_TICKET_MS
    ) return early;
    early?.ws.close();
    return null;
  }

  async #connect() {
    if (this.#stopped) return;
    this.#events.status(this.#attempt === 0 ? "connecting" : "reconnecting");
    const early = await this.#takeEarly();
    if (early) return this.#useSocket(early.offer, early.ws);
    let offer: JoinOffer;
    try {
      const res = await fetch(this.options.ticketUrl, { method: "POST" });
      if (res.status === 409 || res.status === 404) {
        const body = await res.json().catch(() => ({}));
        this.#stopped = true;
        this.#events.status(
          "ended",
          body?.error?.message ?? "This visit is not open.",
        );
        return;
      }
      if (!res.ok) throw new Error(`ticket ${res.status}`);
      offer = await res.json();
    } catch {
      return this.#retry();
    }
    this.#useSocket(offer, new WebSocket(offer.signalingUrl));
  }

  /** Joins the room on the socket, at once if it is already open. */
  #useSocket(offer: JoinOffer, ws: WebSocket) {
    this.role = offer.role;
    this.#iceServers = offer.iceServers;
    this.#ws = ws;
    const joinRoom = () =>
      ws.send(
        JSON.stringify({
          type: "join-room",
          roomId: offer.roomId,
          ticket: offer.ticket,
        }),
      );
    if (ws.readyState === WebSocket.OPEN) joinRoom();
    else ws.onopen = joinRoom;
    ws.onerror = null;
    ws.onmessage = (event) => {
      const message: ServerMessage = JSON.parse(String(event.data));
      // One message at a time, in order: an offer must be applied before
      // the candidates that follow it.
      this.#queue = this.#queue
        .then(() => this.#onMessage(message))
        .catch((error) => console.error("call message failed", error));
    };
    ws.onclose = (event) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      if (this.#stopped || event.code === CLOSE.replaced) return; // ended, or replaced by another tab
      this.#retry();
    };
  }

  #retry() {
    if (this.#stopped) return;
    const delay = BACKOFF_MS[Math.min(this.#attempt, BACKOFF_MS.length - 1)];
    this.#attempt++;
    this.#events.status("reconnecting");
    setTimeout(() => void this.#connect(), delay * (0.75 + Math.random() / 2));
  }

  #send(message: ClientMessage) {
    if (this.#ws?.readyState === WebSocket.OPEN) {
      this.#ws.send(JSON.stringify(message));
    }
  }

  async #onMessage(m: ServerMessage) {
    switch (m.type) {
      case "ping":
        return this.#send({ type: "pong" });
      case "joined":
        this.#attempt = 0;
        this.#polite = m.polite;
        this.#events.chatHistory(m.chat);
        return;
      case "waiting-for-peer":
        this.#peerPresent = false;
        return this.#events.status("waiting");
      case "peer-joined":
        // A new peer connection for every arrival: the peer may have reloaded.
        // The impolite side offers; the polite side answers that offer, so
        // the first negotiation never collides.
        this.#peerPresent = true;
        this.#events.status("joining-peer");
        this.#closePeerConnection();
        if (!this.#polite) this.#newPeerConnection();
        this.#send({ type: "media-state", ...this.#media });
        return;
      case "peer-left":
        this.#peerPresent = false;
        this.#closePeerConnection();
        this.#events.remoteStream(null);
        return this.#events.status("peer-left", m.reason);
      case "offer":
      case "answer":
        return await this.#onDescription({ type: m.type, sdp: m.sdp });
      case "ice-candidate":
        try {
          await this.#pc?.addIceCandidate(m.candidate ?? undefined);
        } catch (error) {
          if (!this.#ignoreOffer) console.warn("ICE candidate refused", error);
        }
        return;
      case "chat":
        return this.#events.chat(m);
      case "media-state":
        return this.#events.peerMedia({ audio: m.audio, video: m.video });
      case "session-ended":
        this.#finish();
        return this.#events.ended(m.by === this.role ? "me" : "doctor");
      case "error":
        if (m.code === "room_closed") {
          this.#finish();
          this.#events.status("ended", m.message);
        } else if (m.code === "chat_full") {
          this.#events.chatRefused(m.message);
        } else if (m.code === "replaced") {
          this.#finish();
          this.#events.status(
            "ended",
            "This visit was opened in another tab or device.",
          );
        }
        return;
    }
  }

  #newPeerConnection() {
    this.#closePeerConnection();
    const pc = new RTCPeerConnection({
      iceServers: this.#iceServers,
      iceTransportPolicy: this.options.iceTransportPolicy ?? "all",
    });
    this.#pc = pc;
    this.#makingOffer = false;
    this.#ignoreOffer = false;
    const remote = new MediaStream();
    pc.ontrack = (event) => {
      remote.addTrack(event.track);
      this.#events.remoteStream(remote);
    };
    pc.onicecandidate = ({ candidate }) =>
      this.#send({
        type: "ice-candidate",
        candidate: candidate && {
          candidate: candidate.candidate,
          sdpMid: candidate.sdpMid,
          sdpMLineIndex: candidate.sdpMLineIndex,
          usernameFragment: candidate.usernameFragment,
        },
      });
    pc.onnegotiationneeded = async () => {
      try {
        this.#makingOffer = true;
        await pc.setLocalDescription();
        this.#sendDescription(pc);
      } catch (error) {
        console.error("offer failed", error);
      } finally {
        this.#makingOffer = false;
      }
    };
    pc.oniceconnectionstatechange = () => this.#onIceState(pc);
    pc.onconnectionstatechange = () => {
      if (pc !== this.#pc) return;
      if (pc.connectionState === "connected") {
        this.#events.status("connected");
        this.#startStats();
      }
    };
    for (const track of this.options.local.getTracks()) {
      pc.addTrack(track, this.options.local);
    }
  }

  /** After `setLocalDescription()`: an offer or an answer, never a rollback. */
  #sendDescription(pc: RTCPeerConnection) {
    const { type, sdp } = pc.localDescription!;
    if (type === "offer" || type === "answer") this.#send({ type, sdp });
  }

  async #onDescription(description: RTCSessionDescriptionInit) {
    if (!this.#pc && description.type === "offer" && this.#peerPresent) {
      this.#newPeerConnection();
    }
    const pc = this.#pc;
    if (!pc) return;
    const collision = description.type === "offer" &&
      (this.#makingOffer || pc.signalingState !== "stable");
    this.#ignoreOffer = !this.#polite && collision;
    if (this.#ignoreOffer) return;
    await pc.setRemoteDescription(description);
    if (description.type === "offer") {
      await pc.setLocalDescription();
      this.#sendDescription(pc);
    }
  }

  #onIceState(pc: RTCPeerConnection) {
    if (pc !== this.#pc) return;
    const state = pc.iceConnectionState;
    clearTimeout(this.#restartTimer);
    if (state === "failed") {
      this.#events.status("reconnecting");
      pc.restartIce();
    } else if (state === "disconnected") {
      this.#events.status("reconnecting");
      // A short outage often heals by itself; restart ICE if it does not.
      this.#restartTimer = setTimeout(() => {
        if (pc === this.#pc && pc.iceConnectionState === "disconnected") {
          pc.restartIce();
        }
      }, 2000);
    } else if (state === "connected" || state === "completed") {
      this.#events.status("connected");
    }
  }

  #startStats() {
    if (this.#statsTimer !== undefined) return;
    this.#statsTimer = setInterval(async () => {
      const pc = this.#pc;
      if (!pc) return;
      const report = await pc.getStats();
      const sampled = sampleStats(report.values(), Date.now());
      const summary = summarise(this.#previous, sampled);
      this.#previous = sampled.sample;
      this.#events.quality(summary);
      if (summary.rating === "poor" && pc.connectionState === "connected") {
        this.#events.status("poor");
      }
      if (++this.#samples % REPORT_EVERY === 0) {
        this.#send({ type: "quality", ...summary });
      }
    }, QUALITY_EVERY_MS);
  }

  #closePeerConnection() {
    clearInterval(this.#statsTimer);
    clearTimeout(this.#restartTimer);
    this.#statsTimer = undefined;
    this.#previous = null;
    this.#pc?.close();
    this.#pc = null;
  }

  get peerPresent() {
    return this.#peerPresent;
  }

  /** The peer connection, for the quality indicator and for tests. */
  get peerConnection() {
    return this.#pc;
  }

  sendChat(text: string) {
    this.#send({ type: "chat", text });
  }

  /** Mute or turn off the camera, and tell the other side. */
  setMedia(media: PeerMedia) {
    this.#media = media;
    for (const t of this.options.local.getAudioTracks()) {
      t.enabled = media.audio;
    }
    for (const t of this.options.local.getVideoTracks()) {
      t.enabled = media.video;
    }
    this.#send({ type: "media-state", ...media });
  }

  /** Sends another camera or a shared screen instead of the current video. */
  async replaceVideo(track: MediaStreamTrack) {
    const sender = this.#pc?.getSenders().find((s) =>
      s.track?.kind === "video"
    );
    await sender?.replaceTrack(track);
  }

  #finish() {
    this.#stopped = true;
    this.#closePeerConnection();
    this.#ws?.close(1000, "done");
    this.#ws = null;
  }

  leave() {
    this.#send({ type: "leave-room" });
    this.#finish();
    this.#events.ended("me");
  }

  /** The doctor ends the visit for both. */
  endVisit() {
    this.#send({ type: "end-session" });
  }
}
