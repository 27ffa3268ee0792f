/**
 * The relay over Redis pub/sub, for several servers behind a load
 * balancer: each server subscribes only to the channels its own sockets
 * and dashboards listen on (a room, a doctor's waiting room), and hears
 * nothing else. Local listeners get messages directly, so a call whose two
 * participants share a server does not depend on Redis.
 *
 * Pub/sub is at-most-once. While Redis is away, publishing fails at once
 * (nothing is queued to arrive late and out of order), joins are refused
 * with `relay_unavailable`, and when the subscriber is back (it
 * resubscribes by itself) every local listener hears a `gap`: the calls
 * start their peer connections afresh (`message_order.ts`).
 *
 * @module
 */
import { createClient } from "@redis/client";
import { log } from "@/lib/log.ts";
import { newId } from "@/lib/store/ids.ts";
import { within } from "@/lib/time_limit.ts";
import { parseRelayed } from "./relay_schema.ts";
import {
  InProcessRelay,
  type Relay,
  type RelayListener,
  type RelayMessage,
  RelayUnavailableError,
  type Subscription,
} from "./relay.ts";

export interface RedisRelayOptions {
  /** `redis://` or `rediss://`, with a user and password if Redis needs them. */
  url: string;
  /** Put before every channel name, so that one Redis can serve several clinics. */
  prefix?: string;
  /** How long the first connection may take before the server gives up. */
  connectTimeoutMs?: number;
}

/** What one server publishes: who sent it, so it does not hear itself. */
interface Envelope {
  from: string;
  message: RelayMessage;
}

/** What the relay uses of a Redis client (the publisher and its duplicate). */
interface RedisClient {
  readonly isReady: boolean;
  on(event: "ready", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  connect(): Promise<unknown>;
  publish(channel: string, text: string): Promise<unknown>;
  subscribe(
    channel: string,
    listener: (text: string) => void,
  ): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): unknown;
}

/** The Redis URL as it may be shown: without its password. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an invalid URL)";
  }
}

export class RedisRelay implements Relay {
  readonly #local = new InProcessRelay();
  readonly #server = newId().slice(0, 12);
  /** Each Redis channel this server listens on, subscribed once. */
  readonly #listening = new Map<string, Promise<void>>();
  #cutOff = false;
  #closed = false;

  private constructor(
    readonly publisher: RedisClient,
    readonly subscriber: RedisClient,
    readonly prefix: string,
  ) {
    // Back only once both clients are: a fresh start announced while the
    // publisher is still reconnecting would itself be lost.
    const back = () => {
      if (!this.#cutOff || !this.available()) return;
      this.#cutOff = false;
      log.warn("relay.redis_back", { server: this.#server });
      // The client subscribes again to what it had; what a listener asked
      // for while Redis was away is asked for now.
      for (const channel of this.#local.channels()) this.#listen(channel);
      this.#local.gap();
    };
    publisher.on("ready", back);
    subscriber.on("ready", back);
  }

  /** Connects both clients, or throws `RelayUnavailableError` in time. */
  static async connect(options: RedisRelayOptions): Promise<RedisRelay> {
    const timeout = options.connectTimeoutMs ?? 5000;
    const where = redactedUrl(options.url);
    let lastError = "no answer";
    const client = createClient({
      url: options.url,
      // Queued commands would arrive late and out of order: fail instead.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: timeout,
        reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000),
      },
    });
    const publisher: RedisClient = client;
    const subscriber: RedisClient = client.duplicate();
    const relay = new RedisRelay(
      publisher,
      subscriber,
      options.prefix ?? "clinic:",
    );
    for (
      const [name, client] of [["publisher", publisher], [
        "subscriber",
        subscriber,
      ]] as const
    ) {
      client.on("error", (error: Error) => {
        lastError = error.message;
        if (relay.#closed) return;
        relay.#cutOff = true;
        log.warn("relay.redis_error", {
          client: name,
          redis: where,
          error: error.message,
        });
      });
    }
    try {
      await within(
        Promise.all([publisher.connect(), subscriber.connect()]),
        timeout,
        "timed out",
      );
    } catch (error) {
      relay.#closed = true;
      for (const client of [publisher, subscriber]) {
        try {
          client.destroy();
        } catch {
          // never connected
        }
      }
      throw new RelayUnavailableError(
        `Cannot reach Redis at ${where} (REDIS_URL): ${
          lastError === "no answer" ? String(error) : lastError
        }`,
      );
    }
    return relay;
  }

  publish(channel: string, message: RelayMessage): void {
    this.#local.publish(channel, message);
    if (!this.publisher.isReady) {
      log.warn("relay.publish_lost", { channel: kindOf(channel) });
      return;
    }
    const envelope: Envelope = { from: this.#server, message };
    this.publisher.publish(this.prefix + channel, JSON.stringify(envelope))
      .catch((error: Error) =>
        log.warn("relay.publish_lost", {
          channel: kindOf(channel),
          error: error.message,
        })
      );
  }

  subscribe(channel: string, listener: RelayListener): Subscription {
    const local = this.#local.subscribe(channel, listener);
    const ready = this.#listen(channel);
    return {
      ready,
      stop: () => {
        local.stop();
        if (this.#local.has(channel) || this.#closed) return;
        this.#listening.delete(channel);
        this.subscriber.unsubscribe(this.prefix + channel).catch(() => {});
      },
    };
  }

  /** Subscribes to the channel in Redis, once while it is held. */
  #listen(channel: string): Promise<void> {
    let ready = this.#listening.get(channel);
    if (!ready) {
      ready = this.subscriber.subscribe(
        this.prefix + channel,
        (text: string) => this.#heard(channel, text),
      ).then(() => {});
      // A failed subscription is asked for again by the next listener, or
      // when Redis is back.
      ready.catch(() => this.#listening.delete(channel));
      this.#listening.set(channel, ready);
    }
    return ready;
  }

  available(): boolean {
    return !this.#closed && this.publisher.isReady &&
      this.subscriber.isReady;
  }

  async close() {
    this.#closed = true;
    this.#local.close();
    await Promise.allSettled([this.publisher.close(), this.subscriber.close()]);
  }

  #heard(channel: string, text: string) {
    let envelope: Partial<Envelope> | null;
    try {
      envelope = JSON.parse(text);
    } catch {
      return log.warn("relay.unreadable", { channel: kindOf(channel) });
    }
    if (envelope?.from === this.#server) return; // delivered here already
    const message = parseRelayed(envelope?.message);
    if (!message) {
      return log.warn("relay.unreadable", { channel: kindOf(channel) });
    }
    this.#local.publish(channel, message);
  }
}

/** A channel's kind for the logs (`room`, `doctor`), not whose it is. */
function kindOf(channel: string): string {
  return channel.split(":")[0];
}

// Where callers have always found it.
export { RelayUnavailableError };
