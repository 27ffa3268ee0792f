/**
 * What the reference call runs on: the raw relay (bench/floor/raw_relay.ts,
 * unchanged) as its own process, as the clinic runs as its own, and a
 * server for the bare page alone, which takes no part in the timed join.
 *
 * @module
 */
import { upOrKilled } from "@/tests/helpers/launch.ts";
import { freePort } from "@/tests/helpers/ports.ts";

const PAGE = new URL("./page.html", import.meta.url);
const RELAY = new URL("../floor/raw_relay.ts", import.meta.url);

export interface ReferenceServers {
  /** The bare page, joined to `room` on the raw relay. */
  pageUrl(room: string): string;
  close(): Promise<void>;
}

export async function startReference(): Promise<ReferenceServers> {
  const relayPort = freePort();
  const relay = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", RELAY.pathname, String(relayPort)],
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  // Any request that is not an upgrade gets "ok".
  await upOrKilled(relay, `http://127.0.0.1:${relayPort}/`);
  const html = await Deno.readFile(PAGE);
  const pages = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () =>
      new Response(html, {
        headers: { "content-type": "text/html; charset=utf-8" },
      }),
  );
  const base = `http://127.0.0.1:${pages.addr.port}/`;
  return {
    pageUrl: (room) =>
      `${base}?relay=${
        encodeURIComponent(`ws://127.0.0.1:${relayPort}/?room=${room}`)
      }`,
    async close() {
      await pages.shutdown();
      relay.kill("SIGKILL");
      await relay.status;
    },
  };
}
