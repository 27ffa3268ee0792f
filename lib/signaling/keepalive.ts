/**
 * One timer for the keep-alive of all of an isolate's call sockets. A timer
 * per socket costs about half a kilobyte of heap for each one held open
 * (the timer, its callback and its place in the timer list); here a socket
 * costs its place in a set. Each socket's turn still comes once an
 * interval, and the sockets are spread over the interval's slots (a turn
 * every 50 ms), so that the pings and membership heartbeats of many
 * sockets do not fall in the same instant: store writes started together
 * are held in memory together.
 *
 * @module
 */

/** What the keep-alive visits: a call socket, once an interval. */
export interface KeptAlive {
  tick(): unknown;
}

/** How often a slot's turn comes, unless the interval is shorter. */
export const TURN_MS = 50;
/** At most this many slots, whatever the interval. */
const MAX_SLOTS = 200;

export class KeepAlive<T extends KeptAlive> {
  /** Parts of an interval: a socket's turn comes in one of them. */
  readonly slots: number;
  readonly #slots: Set<T>[];
  /** The slot whose turn comes next. */
  #next = 0;
  #size = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(readonly intervalMs: number) {
    this.slots = Math.min(
      MAX_SLOTS,
      Math.max(1, Math.round(intervalMs / TURN_MS)),
    );
    this.#slots = Array.from({ length: this.slots }, () => new Set());
  }

  /** How many sockets are kept alive. */
  get size(): number {
    return this.#size;
  }

  /** The socket's first turn comes one interval from now, then every interval. */
  add(socket: T) {
    // The slot whose turn has just been: it comes again one interval later.
    const slot = this.#slots[(this.#next + this.slots - 1) % this.slots];
    if (slot.has(socket)) return;
    slot.add(socket);
    this.#size++;
    this.#timer ??= setInterval(
      () => this.#turn(),
      this.intervalMs / this.slots,
    );
  }

  /** No more turns for the socket; the timer stops with the last one. */
  delete(socket: T) {
    for (const slot of this.#slots) {
      if (slot.delete(socket)) {
        this.#size--;
        break;
      }
    }
    if (this.#size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #turn() {
    const slot = this.#slots[this.#next];
    this.#next = (this.#next + 1) % this.slots;
    // A socket added during this turn lands in this slot: its turn is next time.
    for (const socket of [...slot]) socket.tick();
  }
}
