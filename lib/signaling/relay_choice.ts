/**
 * The relay this server uses, from the settings: `local` (this process:
 * one isolate, or the isolates of `deno serve --parallel`), `redis`, or
 * `kv`. A relay that cannot start is a clear message at start, not a
 * server that seems to work while its calls cannot connect.
 *
 * @module
 */
import type { ClinicConfig } from "@/lib/config.ts";
import { KvRelay } from "./kv_relay.ts";
import { RedisRelay } from "./redis_relay.ts";
import type { Relay } from "./relay.ts";

export async function openRelay(
  config: ClinicConfig,
  kv: Deno.Kv,
  local: () => Relay,
): Promise<Relay> {
  switch (config.signalRelay) {
    case "redis":
      return await RedisRelay.connect({ url: config.redisUrl! });
    case "kv":
      return await KvRelay.open(kv);
    case "local":
      return local();
  }
}
