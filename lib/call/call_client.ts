/**
 * One participant's side of a call, in the browser: it ties the signaling
 * socket (with reconnection), the peer connection (perfect negotiation, ICE
 * restarts), chat and quality reports together and follows the room's
 * messages. The Call island renders what this reports; `docs/protocol.md`
 * is the protocol it speaks.
 *
 * @module
 */
import type {
  IceServer,
  Role,
  ServerMessage,
} from "@/lib/protocol/messages.ts";
import type { CallEvents, PeerMedia } from "./call_events.ts";
import type { EarlyConnection } from "./early_connection.ts";
import { PeerLink } from "./peer_link.ts";
import { QualityMonitor } from "./quality_monitor.ts";
import { SignalingSocket } from "./signaling_socket.ts";

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

export class CallClient {
  role: Role | null = null;
  #socket: SignalingSocket;
  #quality: QualityMonitor;
  #link: PeerLink | null = null;
  #polite = false;
  #iceServers: IceServer[] = [];
  #peerPresent = false;
  #media: PeerMedia;

  constructor(readonly options: CallOptions) {
    // Joined with the microphone only: the other side is told the camera
    // is off from the start, and shows a name instead of a black box.
    this.#media = {
      audio: true,
      video: options.local.getVideoTracks().length > 0,
    };
    this.#socket = new SignalingSocket({
      ticketUrl: options.ticketUrl,
      early: options.early,
      status: (status, note) => this.#events.status(status, note),
      offer: (offer) => {
        this.role = offer.role;
        this.#iceServers = offer.iceServers;
      },
      message: (message) => this.#onMessage(message),
    });
    this.#quality = new QualityMonitor({
      quality: (summary) => this.#events.quality(summary),
      status: (status) => this.#events.status(status),
      send: (message) => this.#socket.send(message),
    });
  }

  get #events() {
    return this.options.events;
  }

  async start() {
    await this.#socket.start();
  }

  async #onMessage(m: ServerMessage) {
    switch (m.type) {
      case "joined":
        this.#polite = m.polite;
        this.#events.chatHistory(m.chat);
        return;
      case "waiting-for-peer":
        this.#peerPresent = false;
        return this.#events.status("waiting");
      case "resync":
        // Messages between the servers were lost: start afresh, as on an
        // arrival, with the conversation as the server has it.
        this.#events.chatHistory(m.chat);
        /* falls through */
      case "peer-joined":
        // A new peer connection for every arrival: the peer may have reloaded.
        // The impolite side offers; the polite side answers that offer, so
        // the first negotiation never collides.
        this.#peerPresent = true;
        this.#events.status("joining-peer");
        this.#closePeerConnection();
        if (!this.#polite) this.#newPeerConnection();
        this.#socket.send({ type: "media-state", ...this.#media });
        return;
      case "peer-left":
        this.#peerPresent = false;
        this.#closePeerConnection();
        this.#events.remoteStream(null);
        return this.#events.status("peer-left");
      case "offer":
      case "answer":
        if (!this.#link && m.type === "offer" && this.#peerPresent) {
          this.#newPeerConnection();
        }
        return await this.#link?.onDescription({ type: m.type, sdp: m.sdp });
      case "ice-candidate":
        return await this.#link?.addCandidate(m.candidate);
      case "chat":
        return this.#events.chat(m);
      case "waiting-note":
        return this.#events.waitingNote({ text: m.text, at: m.at });
      case "media-state":
        return this.#events.peerMedia({ audio: m.audio, video: m.video });
      case "session-ended":
        this.#finish();
        return this.#events.ended(
          m.by === this.role ? "youEnded" : "doctorEnded",
        );
      case "error":
        // The page says why in its own language, from the code.
        if (m.code === "room_closed") {
          this.#finish();
          this.#events.status("ended", "roomClosed");
        } else if (m.code === "chat_full") {
          this.#events.chatRefused();
        } else if (m.code === "replaced") {
          this.#finish();
          this.#events.status("ended", "replaced");
        }
        return;
    }
  }

  #newPeerConnection() {
    this.#closePeerConnection();
    this.#link = new PeerLink({
      iceServers: this.#iceServers,
      iceTransportPolicy: this.options.iceTransportPolicy ?? "all",
      polite: this.#polite,
      local: this.options.local,
      send: (message) => this.#socket.send(message),
      status: (status) => this.#events.status(status),
      remoteStream: (stream) => this.#events.remoteStream(stream),
      connected: (pc) => this.#quality.start(pc),
    });
  }

  #closePeerConnection() {
    this.#quality.stop();
    this.#link?.close();
    this.#link = null;
  }

  get peerPresent() {
    return this.#peerPresent;
  }

  /** The peer connection, for the quality indicator and for tests. */
  get peerConnection(): RTCPeerConnection | null {
    return this.#link?.pc ?? null;
  }

  sendChat(text: string) {
    this.#socket.send({ type: "chat", text });
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
    this.#socket.send({ type: "media-state", ...media });
  }

  /** Sends another camera or a shared screen instead of the current video. */
  async replaceVideo(track: MediaStreamTrack) {
    await this.#link?.replaceVideo(track);
  }

  #finish() {
    this.#closePeerConnection();
    this.#socket.close();
  }

  leave() {
    this.#socket.send({ type: "leave-room" });
    this.#finish();
    this.#events.ended("youLeft");
  }

  /** The doctor ends the visit for both. */
  endVisit() {
    this.#socket.send({ type: "end-session" });
  }
}
