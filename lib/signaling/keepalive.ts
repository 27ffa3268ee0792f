/**
 * One timer for the keep-alive of all of an isolate's call sockets. A timer
 * per socket costs about half a kilobyte of heap for each one held open
 * (the timer, its callback and its place in the timer list); here a socket
 * costs its place in a set. Each socket's turn still comes once an
 * interval, and the sockets are spread over the interval's slots, so that
 * the pings and membership heartbeats of many sockets do not all fall in
 * the same instant.
 *
 * @module
 */

/** What the keep-alive visits: a call socket, once an interval. */
export interface KeptAlive {
  tick(): unknown;
}

/** Parts of an interval: a socket's turn comes in one of them. */
export const SLOTS = 10;

export class KeepAlive<T extends KeptAlive> {
  readonly #slots: Set<T>[] = Array.from({ length: SLOTS }, () => new Set());
  /** The slot whose turn comes next. */
  #next = 0;
  #size = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(readonly intervalMs: number) {}

  /** How many sockets are kept alive. */
  get size(): number {
    return this.#size;
  }

  /** The socket's first turn comes one interval from now, then every interval. */
  add(socket: T) {
    // The slot whose turn has just been: it comes again one interval later.
    const slot = this.#slots[(this.#next + SLOTS - 1) % SLOTS];
    if (slot.has(socket)) return;
    slot.add(socket);
    this.#size++;
    this.#timer ??= setInterval(() => this.#turn(), this.intervalMs / SLOTS);
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
    this.#next = (this.#next + 1) % SLOTS;
    // A socket added during this turn lands in this slot: its turn is next time.
    for (const socket of [...slot]) socket.tick();
  }
}
