/**
 * The relay over Deno KV, for servers that share a KV store and nothing
 * else: Deno Deploy's instances, or self-hosted servers on one `denokv`.
 *
 * Every message is appended to one log under consecutive numbers: a commit
 * takes the next numbers from a small head key (checked, so two servers
 * never take the same one) and writes the messages beside it, so the log
 * has no holes and its order is the commit order. Each server watches the
 * head key and, on any change, reads the log after the last number it has
 * seen; a watch may fold several changes into one notification, so it is
 * never taken as one per message. A slower read on a timer backs the watch
 * up: it covers a notification that never came, and servers on one local KV
 * file in different processes, which a file's watch does not reach.
 *
 * Log entries expire after `keepMs`; a server that fell further behind
 * than that (or missed numbers for any reason) tells its listeners `gap`.
 *
 * @module
 */
import { log } from "@/lib/log.ts";
import { newId } from "@/lib/store/ids.ts";
import { keys } from "@/lib/store/keys.ts";
import { parseRelayed } from "./relay_schema.ts";
import {
  InProcessRelay,
  type Relay,
  type RelayListener,
  type RelayMessage,
  type Subscription,
} from "./relay.ts";

export interface KvRelayOptions {
  /** How long a message stays in the log for a server that is behind. */
  keepMs?: number;
  /** How often the log is read even without a watch notification. */
  pollMs?: number;
}

/**
 * A Deno KV value holds at most 64 KiB and a call message may be as large:
 * a message is stored in parts of this many characters (two bytes each at
 * worst).
 */
const PART_CHARS = 30_000;
/** One commit stays well inside Deno KV's limits on mutations and size. */
const BATCH_CHARS = 300_000;
const BATCH_MESSAGES = 100;

/** What one server appends: who sent it, so that it does not hear itself. */
interface Entry {
  from: string;
  channel: string;
  message: RelayMessage;
}

/** One stored part of a message. */
interface Part {
  parts: number;
  text: string;
}

export class KvRelay implements Relay {
  readonly #local = new InProcessRelay();
  readonly #server = newId().slice(0, 12);
  readonly #keepMs: number;
  #last = 0;
  #pending: string[] = [];
  #writing: Promise<void> | null = null;
  #reading: Promise<void> | null = null;
  #readAgain = false;
  #closed = false;
  #watch: ReadableStreamDefaultReader<unknown> | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;

  private constructor(readonly kv: Deno.Kv, options: KvRelayOptions) {
    this.#keepMs = options.keepMs ?? 60_000;
    this.#timer = setInterval(() => this.#read(), options.pollMs ?? 500);
  }

  /** Starts reading the log from its current end. */
  static async open(
    kv: Deno.Kv,
    options: KvRelayOptions = {},
  ): Promise<KvRelay> {
    const relay = new KvRelay(kv, options);
    relay.#last = (await kv.get<number>(keys.relayHead())).value ?? 0;
    relay.#follow();
    return relay;
  }

  publish(channel: string, message: RelayMessage): void {
    this.#local.publish(channel, message);
    if (this.#closed) return;
    const entry: Entry = { from: this.#server, channel, message };
    this.#pending.push(JSON.stringify(entry));
    this.#writing ??= this.#write().finally(() => this.#writing = null);
  }

  subscribe(channel: string, listener: RelayListener): Subscription {
    return this.#local.subscribe(channel, listener);
  }

  available(): boolean {
    return !this.#closed;
  }

  async close() {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#watch?.cancel().catch(() => {});
    await this.#writing;
    await this.#reading;
    this.#local.close();
  }

  /** Appends what is pending, in order, a batch per commit. */
  async #write() {
    while (this.#pending.length > 0) {
      const batch = takeBatch(this.#pending);
      try {
        await this.#appendWhenFree(batch);
      } catch (error) {
        // The store is closing, or refused the write: these are lost, and
        // the receivers' numbering shows it.
        log.warn("relay.publish_lost", {
          messages: batch.length,
          error: String(error),
        });
      }
    }
  }

  /**
   * `#append`, tried again while another process or isolate holds the
   * file's lock (SQLite answers "database is locked" at once rather than
   * wait): that refusal passes in milliseconds, and giving up on it would
   * lose a call message and restart the call for nothing.
   */
  async #appendWhenFree(batch: string[]) {
    for (let wait = 5;; wait *= 2) {
      try {
        return await this.#append(batch);
      } catch (error) {
        if (!isLocked(error) || wait > LOCKED_WAIT_MS || this.#closed) {
          throw error;
        }
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  async #append(batch: string[]) {
    const head = keys.relayHead();
    while (true) {
      const current = await this.kv.get<number>(head);
      const first = (current.value ?? 0) + 1;
      const op = this.kv.atomic().check(current)
        .set(head, first + batch.length - 1);
      batch.forEach((text, i) => {
        const parts = Math.ceil(text.length / PART_CHARS);
        for (let p = 0; p < parts; p++) {
          const part: Part = {
            parts,
            text: text.slice(p * PART_CHARS, (p + 1) * PART_CHARS),
          };
          op.set(keys.relayLogPart(first + i, p), part, {
            expireIn: this.#keepMs,
          });
        }
      });
      if ((await op.commit()).ok) return;
    }
  }

  /** Watches the head key for as long as the relay is open. */
  async #follow() {
    while (!this.#closed) {
      try {
        const stream = this.kv.watch([keys.relayHead()]);
        this.#watch = stream.getReader();
        while (!this.#closed) {
          const { done } = await this.#watch.read();
          if (done) break;
          this.#read();
        }
      } catch (error) {
        if (this.#closed) return;
        log.warn("relay.watch_failed", { error: String(error) });
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  /** Reads the log after the last number seen; one read at a time. */
  #read() {
    if (this.#closed) return;
    if (this.#reading) {
      this.#readAgain = true;
      return;
    }
    this.#reading = (async () => {
      do {
        this.#readAgain = false;
        try {
          await this.#readOnce();
        } catch (error) {
          if (!this.#closed) {
            log.warn("relay.read_failed", { error: String(error) });
          }
        }
      } while (this.#readAgain && !this.#closed);
    })().finally(() => this.#reading = null);
  }

  async #readOnce() {
    const head = (await this.kv.get<number>(keys.relayHead())).value ?? 0;
    if (head <= this.#last) return;
    let expected = this.#last + 1;
    let lost = false;
    const gap = () => {
      if (lost) return;
      lost = true;
      log.warn("relay.gap", { server: this.#server });
      this.#local.gap();
    };
    let parts: string[] = [];
    for await (
      const entry of this.kv.list<Part>({
        start: keys.relayLogPart(this.#last + 1, 0),
        end: keys.relayLogPart(head + 1, 0),
      })
    ) {
      const seq = entry.key[2] as number;
      if (seq !== expected) {
        // Parts of a message already passed, or numbers that expired.
        if (seq < expected) continue;
        gap();
        expected = seq;
        parts = [];
      }
      parts.push(entry.value.text);
      if (parts.length < entry.value.parts) continue;
      this.#deliver(parts.join(""));
      parts = [];
      expected = seq + 1;
      // A read cut short (the file locked by another process) resumes
      // after what was delivered, not before it.
      this.#last = seq;
    }
    if (expected <= head) gap();
    this.#last = head;
  }

  #deliver(text: string) {
    let entry: Partial<Entry> | null;
    try {
      entry = JSON.parse(text);
    } catch {
      return log.warn("relay.unreadable", {});
    }
    if (entry?.from === this.#server) return; // delivered here already
    if (typeof entry?.channel !== "string") return;
    if (!this.#local.has(entry.channel)) return;
    const message = parseRelayed(entry.message);
    if (!message) return log.warn("relay.unreadable", {});
    this.#local.publish(entry.channel, message);
  }
}

/** Takes from the front of `pending` what one commit can hold. */
function takeBatch(pending: string[]): string[] {
  let size = 0;
  let count = 0;
  while (
    count < pending.length && count < BATCH_MESSAGES &&
    (count === 0 || size + pending[count].length <= BATCH_CHARS)
  ) {
    size += pending[count].length;
    count++;
  }
  return pending.splice(0, count);
}

/** The longest single wait for a locked file before a write is given up. */
const LOCKED_WAIT_MS = 1280;

/** SQLite's answer when another connection holds the file's write lock. */
export function isLocked(error: unknown): boolean {
  return error instanceof Error && /database is locked/i.test(error.message);
}
