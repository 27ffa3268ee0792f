/**
 * The limits every call socket lives within, so that no client can hold the
 * server's memory or time: how many sockets one address and the whole
 * process may open, a token bucket for the messages of one socket, and how
 * long a silent socket is kept.
 *
 * Deno reassembles a whole WebSocket message before handing it over and
 * has no setting to bound its size, so the app can bound the number of
 * sockets, not what one makes Deno hold; docs/deploy.md says what does.
 *
 * @module
 */

/** Messages per socket: a burst of this many, refilled at RATE_PER_S. */
export const RATE_BURST = 200;
export const RATE_PER_S = 50;
/** Keep-alive intervals a client may let pass without a message. */
export const MISSED_PINGS = 3;

export interface SocketLimits {
  /** Open call sockets per client address. */
  perAddress: number;
  /** Open call sockets in this process. */
  total: number;
}

export type Refusal = "address_full" | "server_full";

/** How many sockets are open, in all and by address. */
interface Tally {
  total: number;
  byAddress: Map<string, number>;
}

/** One admitted socket's place: given back once (a method, not a closure). */
class Place {
  readonly #tally: Tally;
  readonly #address: string;
  #released = false;

  constructor(tally: Tally, address: string) {
    this.#tally = tally;
    this.#address = address;
  }

  release() {
    if (this.#released) return;
    this.#released = true;
    const tally = this.#tally;
    tally.total--;
    const left = (tally.byAddress.get(this.#address) ?? 1) - 1;
    if (left === 0) tally.byAddress.delete(this.#address);
    else tally.byAddress.set(this.#address, left);
  }
}

/** Counts open sockets by address; admits a new one only within the limits. */
export class SocketCounter {
  readonly #tally: Tally = { total: 0, byAddress: new Map() };

  constructor(readonly limits: SocketLimits) {}

  get total(): number {
    return this.#tally.total;
  }

  /**
   * Admits a socket from `address`, or says why not. The answer's release
   * gives the place back; calling it again does nothing.
   */
  admit(address: string): { release(): void } | Refusal {
    const tally = this.#tally;
    if (tally.total >= this.limits.total) return "server_full";
    const open = tally.byAddress.get(address) ?? 0;
    if (open >= this.limits.perAddress) return "address_full";
    tally.byAddress.set(address, open + 1);
    tally.total++;
    return new Place(tally, address);
  }
}

/** A burst of `burst` messages, refilled at `perSecond`. */
export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    readonly burst: number,
    readonly perSecond: number,
    now = Date.now(),
  ) {
    this.#tokens = burst;
    this.#at = now;
  }

  /** Takes one token; false when the bucket is empty. */
  take(now = Date.now()): boolean {
    this.#tokens = Math.min(
      this.burst,
      this.#tokens + ((now - this.#at) / 1000) * this.perSecond,
    );
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
