/**
 * The server entry for `deno serve main.ts`, also with `--parallel`: the
 * isolates relay call messages to each other over a BroadcastChannel.
 * (`deno task start` runs one isolate through `start.ts`.)
 *
 * @module
 */
import { bootClinic } from "./lib/boot.ts";
import { BroadcastChannelRelay } from "./lib/signaling/relay.ts";

const { app } = await bootClinic(new BroadcastChannelRelay());

export default { fetch: app.fetch } satisfies Deno.ServeDefaultExport;
