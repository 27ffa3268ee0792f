/**
 * `deno task start`: one isolate serving on the configured host and port;
 * call messages stay in this isolate, or reach other servers over Redis or
 * Deno KV (`SIGNAL_RELAY`).
 *
 * @module
 */
import { bootClinic } from "./lib/boot.ts";
import { InProcessRelay } from "./lib/signaling/relay.ts";

const { app, config, beforeExit } = await bootClinic(() =>
  new InProcessRelay()
);

const server = Deno.serve({
  hostname: config.hostname,
  port: config.port,
  onListen: ({ hostname, port }) => {
    console.log(
      `Clinic video visits: http://${hostname}:${port}/ (public URL ${config.publicUrl})`,
    );
  },
}, app.fetch);

beforeExit(() => server.shutdown());
