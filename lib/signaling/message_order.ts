/**
 * Numbering of what one participant's socket sends the other, so that the
 * receiver notices when the relay lost something. Pub/sub between servers
 * is at-most-once and a broker can restart mid-call; a lost offer, answer
 * or candidate would leave the call stuck, so a gap makes both sides start
 * the peer connection afresh (`resync`) rather than go on with a hole.
 *
 * Each socket numbers its messages for one peer socket at a time, from 1,
 * and says which socket they are for: a rejoin on either side starts the
 * numbering again, and what was meant for an earlier socket is left aside.
 *
 * @module
 */

/** Stamped on every message a participant's socket sends the other. */
export interface Numbered {
  /** The sending socket. */
  connectionId: string;
  /** The peer socket it is meant for, or `null` before one is known. */
  for: string | null;
  /** 1, 2, 3… for each message to that peer socket. */
  seq: number;
}

/** How far a socket has got with its peer, as its heartbeat records it. */
export interface Progress {
  for: string | null;
  count: number;
}

/** Long enough for any relay to deliver what was sent (the KV relay reads every 0.5 s). */
export const IN_FLIGHT_MS = 5000;

/** What to do with a message from the other participant's side. */
export type Arrival = "deliver" | "drop" | "gap";

export class MessageOrder {
  #peer: string | null = null;
  #sent = 0;
  #heard = 0;
  /** What the peer had sent us by its previous heartbeat, and when we read it. */
  #sentBefore = 0;
  #sentBeforeAt = -Infinity;

  constructor(readonly self: string) {}

  /** The peer's socket this one knows, if any. */
  get peer(): string | null {
    return this.#peer;
  }

  /** Another socket of the peer's, or none: numbering starts again. */
  meet(peer: string | null) {
    this.#peer = peer;
    this.#sent = 0;
    this.#heard = 0;
    this.#sentBefore = 0;
    this.#sentBeforeAt = -Infinity;
  }

  /** The stamp for the next message to the peer. */
  stamp(): Numbered {
    return { connectionId: this.self, for: this.#peer, seq: ++this.#sent };
  }

  get progress(): Progress {
    return { for: this.#peer, count: this.#sent };
  }

  /** The peer's socket announced itself (`peer-joined`). */
  arrived(m: Numbered): "deliver" | "drop" {
    if (m.connectionId === this.#peer) {
      // Known already (both joined at once and found each other in the
      // room): the announcement is not news, but it was numbered.
      if (m.for === this.self) this.#heard = Math.max(this.#heard, m.seq);
      return "drop";
    }
    this.meet(m.connectionId);
    if (m.for === this.self) this.#heard = m.seq;
    return "deliver";
  }

  /** Any other message from the peer's side. */
  receive(m: Numbered): Arrival {
    if (m.for !== this.self) return "drop"; // for an earlier socket of ours
    if (m.connectionId !== this.#peer) {
      // A peer socket that knows us, but whose arrival never reached us.
      this.meet(m.connectionId);
      this.#heard = m.seq;
      return "gap";
    }
    if (m.seq <= this.#heard) return "drop";
    const lost = m.seq > this.#heard + 1;
    this.#heard = m.seq;
    return lost ? "gap" : "deliver";
  }

  /**
   * At a heartbeat, with the peer's progress from its own last heartbeat:
   * whether messages it had sent by an earlier reading, at least
   * `IN_FLIGHT_MS` ago, are still missing (the tail of a conversation has
   * no later message to show a gap). Heartbeats may come faster than a
   * relay delivers; a reading too recent to judge is kept for later.
   */
  missing(peer: Progress | undefined, now = Date.now()): boolean {
    if (!peer || peer.for !== this.self) return false;
    if (now - this.#sentBeforeAt < IN_FLIGHT_MS) return false;
    const lost = this.#sentBefore > this.#heard;
    if (lost) this.#heard = this.#sentBefore;
    this.#sentBefore = peer.count;
    this.#sentBeforeAt = now;
    return lost;
  }
}
