/**
 * The relay this server uses, from the settings: `local` (this process:
 * one isolate, or the isolates of `deno serve --parallel`), `redis`, or
 * `kv`. A relay that cannot start is a clear message at start, not a
 * server that seems to work while its calls cannot connect.
 *
 * @module
 */
import type { ClinicConfig } from "@/lib/config.ts";
import type { Relay } from "./relay.ts";

// The Redis and KV relays (and the Redis client) are loaded only by a
// server that uses them, so a single server does not hold them in memory.

export async function openRelay(
  config: ClinicConfig,
  kv: Deno.Kv,
  local: () => Relay,
): Promise<Relay> {
  switch (config.signalRelay) {
    case "redis": {
      const { RedisRelay } = await import("./redis_relay.ts");
      return await RedisRelay.connect({ url: config.redisUrl! });
    }
    case "kv": {
      const { KvRelay } = await import("./kv_relay.ts");
      return await KvRelay.open(kv);
    }
    case "local":
      return local();
  }
}
