/**
 * The media path to the other participant, for one arrival of theirs: an
 * `RTCPeerConnection` negotiated with "perfect negotiation" (the polite side
 * yields when both offer at once, so neither has to take turns), and ICE
 * restarted when the network path breaks, at once on failure and after a
 * short grace on a disconnection that often heals by itself.
 *
 * @module
 */
import type { ClientMessage, IceServer } from "@/lib/protocol/messages.ts";
import type { CallStatus } from "./call_events.ts";

/** How long a disconnected path may heal by itself before an ICE restart. */
const HEAL_MS = 2000;

/**
 * A new peer connection carrying the local camera and microphone, as a
 * link makes it and as an offer prepared during the device check does.
 */
export function openPeerConnection(
  iceServers: IceServer[],
  iceTransportPolicy: RTCIceTransportPolicy,
  local: MediaStream,
): RTCPeerConnection {
  // One transport for sound and video from the first offer on: half the
  // candidates to gather, send and check (and one TURN allocation, not
  // two). Every browser the call supports bundles them.
  const pc = new RTCPeerConnection({
    iceServers,
    iceTransportPolicy,
    bundlePolicy: "max-bundle",
  });
  for (const track of local.getTracks()) pc.addTrack(track, local);
  // Without a camera, still ask for the other side's video, so that the
  // first offer has it whichever side makes it.
  if (local.getVideoTracks().length === 0) {
    pc.addTransceiver("video", { direction: "recvonly" });
  }
  return pc;
}

/** A gathered candidate (or the end of them) as the protocol sends it. */
export function candidateMessage(
  candidate: RTCIceCandidate | null,
): ClientMessage {
  return {
    type: "ice-candidate",
    candidate: candidate && {
      candidate: candidate.candidate,
      sdpMid: candidate.sdpMid,
      sdpMLineIndex: candidate.sdpMLineIndex,
      usernameFragment: candidate.usernameFragment,
    },
  };
}

export interface PeerLinkOptions {
  iceServers: IceServer[];
  /** "relay" forces media through TURN (tests, strict networks). */
  iceTransportPolicy: RTCIceTransportPolicy;
  /** The patient is polite: on colliding offers, it takes the doctor's. */
  polite: boolean;
  local: MediaStream;
  /**
   * A connection made ahead with `openPeerConnection` from the same ICE
   * servers and media, its offer already set: the link takes it over.
   */
  pc?: RTCPeerConnection;
  send(message: ClientMessage): void;
  status(status: CallStatus): void;
  remoteStream(stream: MediaStream): void;
  /** The connection is up; quality can be measured. */
  connected(pc: RTCPeerConnection): void;
}

export class PeerLink {
  readonly pc: RTCPeerConnection;
  #makingOffer = false;
  #ignoreOffer = false;
  #closed = false;
  #restartTimer: ReturnType<typeof setTimeout> | undefined;
  /** The other side's tracks, as they arrive with its descriptions. */
  readonly #remote = new MediaStream();
  #tracksArrived = false;

  constructor(readonly options: PeerLinkOptions) {
    const pc = options.pc ?? openPeerConnection(
      options.iceServers,
      options.iceTransportPolicy,
      options.local,
    );
    this.pc = pc;
    pc.ontrack = (event) => {
      this.#remote.addTrack(event.track);
      this.#tracksArrived = true;
    };
    pc.onicecandidate = ({ candidate }) =>
      options.send(candidateMessage(candidate));
    pc.onnegotiationneeded = async () => {
      try {
        this.#makingOffer = true;
        await pc.setLocalDescription();
        this.#sendDescription();
      } catch (error) {
        console.error("offer failed", error);
      } finally {
        this.#makingOffer = false;
      }
    };
    pc.oniceconnectionstatechange = () => this.#onIceState();
    pc.onconnectionstatechange = () => {
      if (this.#closed) return;
      if (pc.connectionState === "connected") {
        options.status("connected");
        options.connected(pc);
      }
    };
  }

  /** An offer or answer from the other side. */
  async onDescription(description: RTCSessionDescriptionInit) {
    const pc = this.pc;
    const collision = description.type === "offer" &&
      (this.#makingOffer || pc.signalingState !== "stable");
    this.#ignoreOffer = !this.options.polite && collision;
    if (this.#ignoreOffer) return;
    try {
      await pc.setRemoteDescription(description);
      if (description.type === "offer") {
        await pc.setLocalDescription();
        this.#sendDescription();
      }
    } finally {
      // The page shows the other side's media once the answer is on its
      // way: redrawing it first would hold the answer up, and no frame
      // comes before the connection anyway.
      if (this.#tracksArrived) {
        this.#tracksArrived = false;
        this.options.remoteStream(this.#remote);
      }
    }
  }

  async addCandidate(candidate: RTCIceCandidateInit | null) {
    try {
      await this.pc.addIceCandidate(candidate ?? undefined);
    } catch (error) {
      // Candidates of an offer this side ignored are expected to fail.
      if (!this.#ignoreOffer) console.warn("ICE candidate refused", error);
    }
  }

  /** Sends another camera or a shared screen instead of the current video. */
  async replaceVideo(track: MediaStreamTrack) {
    const sender = this.pc.getSenders().find((s) => s.track?.kind === "video");
    await sender?.replaceTrack(track);
  }

  close() {
    this.#closed = true;
    clearTimeout(this.#restartTimer);
    this.pc.close();
  }

  /** After `setLocalDescription()`: an offer or an answer, never a rollback. */
  #sendDescription() {
    const { type, sdp } = this.pc.localDescription!;
    if (type === "offer" || type === "answer") {
      this.options.send({ type, sdp });
    }
  }

  #onIceState() {
    if (this.#closed) return;
    const pc = this.pc;
    const state = pc.iceConnectionState;
    clearTimeout(this.#restartTimer);
    if (state === "failed") {
      this.options.status("reconnecting");
      pc.restartIce();
    } else if (state === "disconnected") {
      this.options.status("reconnecting");
      // A short outage often heals by itself; restart ICE if it does not.
      this.#restartTimer = setTimeout(() => {
        if (!this.#closed && pc.iceConnectionState === "disconnected") {
          pc.restartIce();
        }
      }, HEAL_MS);
    } else if (state === "connected" || state === "completed") {
      this.options.status("connected");
    }
  }
}
