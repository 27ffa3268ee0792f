/**
 * One participant's side of a call, in the browser: it ties the signaling
 * socket (with reconnection), the peer connection (perfect negotiation, ICE
 * restarts), chat and quality reports together and follows the room's
 * messages. The Call island renders what this reports; `docs/protocol.md`
 * is the protocol it speaks.
 *
 * @module
 */
import {
  type ClientMessage,
  type IceServer,
  isPolite,
  type JoinOffer,
  type Role,
  type ServerMessage,
} from "@/lib/protocol/messages.ts";
import type { CallEvents, PeerMedia } from "./call_events.ts";
import type { EarlyStart } from "./early_connection.ts";
import { PeerLink } from "./peer_link.ts";
import type { PreparedOffer } from "./prepared_offer.ts";
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
  early?: EarlyStart;
  /** The offer made during the device check for the early ticket; the call closes it if unused. */
  prepared?: PreparedOffer;
}

export class CallClient {
  role: Role | null = null;
  #socket: SignalingSocket;
  #quality: QualityMonitor;
  #link: PeerLink | null = null;
  #polite = false;
  #iceServers: IceServer[] = [];
  #peerPresent = false;
  /**
   * The offer and candidates of a peer connection made before the peer is
   * known to be in the room, until `peer-joined` says it is; null once
   * they go straight to the socket.
   */
  #held: ClientMessage[] | null = null;
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
        this.#polite = isPolite(offer.role);
        // The side that offers makes its connection and offer while the
        // server checks the ticket: when the other side is already there,
        // `peer-joined` has only to send them.
        if (!this.#polite && !this.#link) {
          this.#newPeerConnection(true, this.#takePrepared(offer));
        } else this.#takePrepared(offer)?.close();
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
        // Nobody to send a prepared offer to: the arrival gets a fresh one.
        if (this.#held) this.#closePeerConnection();
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
        if (this.#held) {
          this.#release();
        } else {
          this.#closePeerConnection();
          if (!this.#polite) this.#newPeerConnection();
        }
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

  /** The offer prepared during the device check, once, if it fits this ticket. */
  #takePrepared(offer: JoinOffer): PreparedOffer | undefined {
    const prepared = this.options.prepared;
    this.options.prepared = undefined;
    if (prepared?.fits(offer, this.options.local)) return prepared;
    prepared?.close();
  }

  /**
   * A fresh peer connection, or the prepared one taken over; `hold` keeps
   * what it sends (after what the prepared one holds) until `#release`.
   */
  #newPeerConnection(hold = false, prepared?: PreparedOffer) {
    this.#closePeerConnection();
    this.#held = hold ? [...prepared?.held ?? []] : null;
    const link: PeerLink = new PeerLink({
      iceServers: this.#iceServers,
      iceTransportPolicy: this.options.iceTransportPolicy ?? "all",
      polite: this.#polite,
      local: this.options.local,
      pc: prepared?.pc,
      send: (message) => {
        // A closed connection's late offer or candidate is not for the peer.
        if (this.#link !== link) return;
        if (this.#held) this.#held.push(message);
        else this.#socket.send(message);
      },
      status: (status) => this.#events.status(status),
      remoteStream: (stream) => this.#events.remoteStream(stream),
      connected: (pc) => this.#quality.start(pc),
    });
    this.#link = link;
  }

  /** The peer is here: what the prepared connection held goes, in order. */
  #release() {
    const held = this.#held ?? [];
    this.#held = null;
    for (const message of held) this.#socket.send(message);
  }

  #closePeerConnection() {
    this.#quality.stop();
    this.#link?.close();
    this.#link = null;
    this.#held = null;
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
