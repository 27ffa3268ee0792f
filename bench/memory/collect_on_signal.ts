/**
 * Preloaded into a server the memory bench measures (`--preload`, with
 * `--v8-flags=--expose-gc`): on SIGUSR2 it collects all the garbage, then
 * writes the JS heap's figures to the file named by MEMORY_REPORT, as one
 * JSON object numbered by the signals so far. The server's own code is
 * untouched, and no inspector runs: with one, Deno reports every WebSocket
 * frame to it, which costs memory of its own.
 *
 * @module
 */
const report = Deno.env.get("MEMORY_REPORT");
const collect = (globalThis as { gc?: (options?: unknown) => void }).gc;
if (report && collect) {
  let signals = 0;
  Deno.addSignalListener("SIGUSR2", async () => {
    // Loaded at the first signal, not at start: the idle figure is untouched.
    const { getHeapSpaceStatistics } = await import("node:v8");
    // As a heap snapshot does (and V8 under memory pressure): all that can
    // be collected is, and the heap gives back the pages it no longer needs.
    collect({ type: "major", execution: "sync", flavor: "last-resort" });
    const usage = Deno.memoryUsage();
    const spaces = Object.fromEntries(
      getHeapSpaceStatistics().map((s) => [
        s.space_name,
        { size: s.space_size, used: s.space_used_size },
      ]),
    );
    Deno.writeTextFileSync(
      report,
      JSON.stringify({ signal: ++signals, ...usage, spaces }),
    );
  });
}
