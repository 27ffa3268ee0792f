/**
 * The relay carries signaling messages between sockets wherever they live.
 * One small interface, four ways to run it:
 * - `InProcessRelay`: one isolate (tests, `deno task start`);
 * - `BroadcastChannelRelay`: several isolates of one process
 *   (`deno serve --parallel`), local delivery plus a `BroadcastChannel`;
 * - `RedisRelay` (`redis_relay.ts`): several servers sharing a Redis;
 * - `KvRelay` (`kv_relay.ts`): several servers sharing a Deno KV, as on
 *   Deno Deploy, with nothing else to run.
 * `relay_choice.ts` picks one from the settings.
 *
 * @module
 */
import type {
  ChatLine,
  LeaveReason,
  Role,
  WaitingRoomEvent,
} from "@/lib/protocol/messages.ts";
import type { Numbered } from "./message_order.ts";

/**
 * What the sockets of one call room tell each other, on the room's channel.
 * `to` names the role it is for; `replaced` names the connection instead,
 * and `ended` is for everyone.
 */
export type RoomMessage =
  /** A relayed message's text as the sender wrote it, with `from` added. */
  | { kind: "signal"; to: Role; text: string } & Numbered
  | { kind: "chat"; to: Role; line: ChatLine } & Numbered
  | { kind: "peer-joined"; to: Role; from: Role; rejoined: boolean }
    & Numbered
  | { kind: "peer-left"; to: Role; from: Role; reason: LeaveReason }
    & Numbered
  /** Messages were lost: both sides start the peer connection afresh. */
  | { kind: "resync"; to: Role } & Numbered
  | { kind: "replaced"; to: string }
  /**
   * The doctor's note for the waiting patient. Not numbered: it may come
   * from any server (the doctor's dashboard), not from the peer's socket,
   * and a lost one is read from the store at the next join.
   */
  | { kind: "waiting-note"; to: "patient"; text: string; at: number }
  | { kind: "ended"; to: "*"; by: Role; at: number };

/**
 * What a relay tells its own listeners when it comes back after a break
 * (a broker restart, a lost watch): messages may have been lost meanwhile.
 */
export interface RelayGap {
  kind: "gap";
}

/**
 * What travels on a channel: a room's messages, or the doctor's waiting-room
 * events. Plain data, cloned between isolates (or serialised by a relay
 * over a shared store).
 */
export type RelayMessage = RoomMessage | WaitingRoomEvent | RelayGap;
export type RelayListener = (message: RelayMessage) => void;

export interface Subscription {
  /**
   * Settles once messages published anywhere from now on reach the
   * listener; rejects if the relay cannot listen (its broker is down).
   */
  ready: Promise<void>;
  stop(): void;
}

export interface Relay {
  /** Delivers to every subscriber of the channel, on any isolate or server. */
  publish(channel: string, message: RelayMessage): void;
  /** Listens on a channel until `stop`. */
  subscribe(channel: string, listener: RelayListener): Subscription;
  /** Whether messages can travel now (a relay over a broker may be cut off). */
  available(): boolean;
  close(): void | Promise<void>;
}

const LISTENING: Promise<void> = Promise.resolve();

/**
 * A listener of this isolate on a channel, as one small object: a call
 * socket holds it as long as it is in its room.
 */
class LocalSubscription implements Subscription {
  readonly ready = LISTENING;
  readonly #channels: Map<string, Set<RelayListener>>;
  readonly #channel: string;
  readonly #listeners: Set<RelayListener>;
  readonly #listener: RelayListener;

  constructor(
    channels: Map<string, Set<RelayListener>>,
    channel: string,
    listeners: Set<RelayListener>,
    listener: RelayListener,
  ) {
    this.#channels = channels;
    this.#channel = channel;
    this.#listeners = listeners;
    this.#listener = listener;
  }

  stop() {
    this.#listeners.delete(this.#listener);
    // Only this channel's own set: a stop called late leaves a newer one be.
    if (
      this.#listeners.size === 0 &&
      this.#channels.get(this.#channel) === this.#listeners
    ) {
      this.#channels.delete(this.#channel);
    }
  }
}

export class InProcessRelay implements Relay {
  readonly #channels = new Map<string, Set<RelayListener>>();

  publish(channel: string, message: RelayMessage): void {
    const listeners = this.#channels.get(channel);
    if (!listeners) return;
    for (const listener of [...listeners]) {
      try {
        listener(message);
      } catch (error) {
        console.error("relay listener failed", error);
      }
    }
  }

  subscribe(channel: string, listener: RelayListener): Subscription {
    let listeners = this.#channels.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.#channels.set(channel, listeners);
    }
    listeners.add(listener);
    return new LocalSubscription(this.#channels, channel, listeners, listener);
  }

  /** Whether anyone here listens on the channel. */
  has(channel: string): boolean {
    return this.#channels.has(channel);
  }

  /** The channels with listeners here. */
  channels(): string[] {
    return [...this.#channels.keys()];
  }

  /** Tells every listener here that messages may have been lost. */
  gap() {
    for (const channel of this.channels()) {
      this.publish(channel, { kind: "gap" });
    }
  }

  /** How many channels have listeners here (for tests and diagnostics). */
  get channelCount(): number {
    return this.#channels.size;
  }

  available(): boolean {
    return true;
  }

  close(): void {
    this.#channels.clear();
  }
}

/**
 * Local subscribers get messages directly; other isolates get them through
 * one `BroadcastChannel`, which does not echo a post to its own sender.
 */
export class BroadcastChannelRelay implements Relay {
  readonly #local = new InProcessRelay();
  readonly #channel: BroadcastChannel;

  constructor(name = "clinic-signaling") {
    this.#channel = new BroadcastChannel(name);
    this.#channel.onmessage = (event: MessageEvent) => {
      const data = event.data as { channel?: unknown; message?: unknown };
      if (
        typeof data?.channel === "string" && data.message &&
        typeof data.message === "object"
      ) {
        this.#local.publish(data.channel, data.message as RelayMessage);
      }
    };
  }

  publish(channel: string, message: RelayMessage): void {
    this.#local.publish(channel, message);
    this.#channel.postMessage({ channel, message });
  }

  subscribe(channel: string, listener: RelayListener): Subscription {
    return this.#local.subscribe(channel, listener);
  }

  available(): boolean {
    return true;
  }

  close(): void {
    this.#channel.close();
    this.#local.close();
  }
}

/** Redis could not be reached; the message says where, without the password. */
export class RelayUnavailableError extends Error {
  override name = "RelayUnavailableError";
}
