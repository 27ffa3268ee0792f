/**
 * Measures the call's quality while it is connected: a sample of
 * `getStats()` every two seconds for the page's indicator (and the "poor
 * connection" status), and every third summary sent to the server, which
 * keeps it for the visit's report without being flooded.
 *
 * @module
 */
import type { ClientMessage } from "@/lib/protocol/messages.ts";
import type { CallStatus } from "./call_events.ts";
import {
  type QualitySample,
  type QualitySummary,
  sampleStats,
  summarise,
} from "./quality.ts";

const QUALITY_EVERY_MS = 2000;
const REPORT_EVERY = 3;

export interface QualityMonitorOptions {
  quality(summary: QualitySummary): void;
  status(status: CallStatus): void;
  send(message: ClientMessage): void;
}

export class QualityMonitor {
  #timer: ReturnType<typeof setInterval> | undefined;
  #previous: QualitySample | null = null;
  /** Counted over the whole call: a new connection does not restart it. */
  #samples = 0;

  constructor(readonly options: QualityMonitorOptions) {}

  /** Starts sampling this connection, unless sampling already runs. */
  start(pc: RTCPeerConnection) {
    if (this.#timer !== undefined) return;
    const timer = setInterval(async () => {
      const report = await pc.getStats();
      // Stopped while the stats were read (the peer left): say nothing.
      if (this.#timer !== timer) return;
      const sampled = sampleStats(report.values(), Date.now());
      const summary = summarise(this.#previous, sampled);
      this.#previous = sampled.sample;
      this.options.quality(summary);
      if (summary.rating === "poor" && pc.connectionState === "connected") {
        this.options.status("poor");
      }
      if (++this.#samples % REPORT_EVERY === 0) {
        this.options.send({ type: "quality", ...summary });
      }
    }, QUALITY_EVERY_MS);
    this.#timer = timer;
  }

  /** Stops with the connection; the next one starts without a previous sample. */
  stop() {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#previous = null;
  }
}
