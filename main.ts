/**
 * The server entry for `deno serve main.ts`, also with `--parallel` and on
 * Deno Deploy: with `SIGNAL_RELAY=local` the isolates relay call messages
 * to each other over a BroadcastChannel; on Deploy the relay is Deno KV
 * (or Redis, given `REDIS_URL`).
 * (`deno task start` runs one isolate through `start.ts`.)
 *
 * @module
 */
import { bootClinic } from "./lib/boot.ts";
import { BroadcastChannelRelay } from "./lib/signaling/relay.ts";

const { app } = await bootClinic(() => new BroadcastChannelRelay());

export default { fetch: app.fetch } satisfies Deno.ServeDefaultExport;
