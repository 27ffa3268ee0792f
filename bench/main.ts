/**
 * `deno task bench`: every benchmark, printed as one table.
 *
 * @module
 */
import { dashboardRows, visitPageRows } from "./clinic_pages.ts";
import { callRows } from "./call_setup.ts";
import { historyRows } from "./history_page.ts";
import { loadHeldRows } from "./load_held.ts";
import { memoryRows } from "./memory/main.ts";
import { relayHopRows } from "./signaling/relay_hops.ts";
import { signalingRows } from "./signaling/main.ts";
import { printTable, type Row, writeResults } from "./table.ts";

const rows: Row[] = [];
rows.push(...await dashboardRows());
rows.push(...await historyRows());
rows.push(...await visitPageRows());
rows.push(...await callRows());
rows.push(...await signalingRows());
rows.push(...await relayHopRows());
rows.push(...await loadHeldRows());
rows.push(...await memoryRows());
console.log(
  `\nBenchmarks, ${
    new Date().toISOString().slice(0, 10)
  }, Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores\n`,
);
printTable(rows);
console.log(`\nFigures written to ${await writeResults(rows)}`);
