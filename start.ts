/**
 * `deno task start`: serves the app on the configured host and port.
 *
 * @module
 */
import server, { config } from "./main.ts";

Deno.serve({
  hostname: config.hostname,
  port: config.port,
  onListen: ({ hostname, port }) => {
    console.log(
      `Clinic video visits: http://${hostname}:${port}/ (public URL ${config.publicUrl})`,
    );
  },
}, server.fetch);
