/**
 * Connection quality from `RTCPeerConnection.getStats()`: round-trip time,
 * packet loss, jitter, received bitrate, and whether media goes direct or
 * through a TURN relay. Pure functions over the stats objects, so they are
 * tested without a browser.
 *
 * @module
 */

// deno-lint-ignore no-explicit-any
type Stat = Record<string, any>;

export interface QualitySample {
  /** ms since epoch of the sample. */
  at: number;
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
}

export interface QualitySummary {
  rttMs: number | null;
  lossPercent: number | null;
  jitterMs: number | null;
  bitrateKbps: number | null;
  relayed: boolean | null;
  rating: "good" | "fair" | "poor" | "unknown";
}

export function sampleStats(stats: Iterable<Stat>, at: number): {
  sample: QualitySample;
  rttMs: number | null;
  jitterMs: number | null;
  relayed: boolean | null;
} {
  const byId = new Map<string, Stat>();
  const all = [...stats];
  for (const s of all) byId.set(s.id, s);
  let bytesReceived = 0, packetsReceived = 0, packetsLost = 0;
  let jitter: number | null = null;
  let rttMs: number | null = null;
  let relayed: boolean | null = null;
  for (const s of all) {
    if (s.type === "inbound-rtp") {
      bytesReceived += s.bytesReceived ?? 0;
      packetsReceived += s.packetsReceived ?? 0;
      packetsLost += Math.max(0, s.packetsLost ?? 0);
      if (typeof s.jitter === "number") {
        jitter = Math.max(jitter ?? 0, s.jitter);
      }
    }
    if (
      s.type === "candidate-pair" && (s.nominated || s.selected) &&
      s.state === "succeeded"
    ) {
      if (typeof s.currentRoundTripTime === "number") {
        rttMs = s.currentRoundTripTime * 1000;
      }
      const local = byId.get(s.localCandidateId);
      const remote = byId.get(s.remoteCandidateId);
      if (local || remote) {
        relayed = local?.candidateType === "relay" ||
          remote?.candidateType === "relay";
      }
    }
  }
  return {
    sample: { at, bytesReceived, packetsReceived, packetsLost },
    rttMs,
    jitterMs: jitter === null ? null : jitter * 1000,
    relayed,
  };
}

export function summarise(
  previous: QualitySample | null,
  current: ReturnType<typeof sampleStats>,
): QualitySummary {
  const { sample } = current;
  let bitrateKbps: number | null = null;
  let lossPercent: number | null = null;
  if (previous && sample.at > previous.at) {
    bitrateKbps = ((sample.bytesReceived - previous.bytesReceived) * 8) /
      (sample.at - previous.at);
    const received = sample.packetsReceived - previous.packetsReceived;
    const lost = sample.packetsLost - previous.packetsLost;
    lossPercent = received + lost > 0
      ? (100 * Math.max(0, lost)) / (received + lost)
      : 0;
  }
  const round = (
    n: number | null,
  ) => (n === null ? null : Math.round(n * 10) / 10);
  let rating: QualitySummary["rating"] = "unknown";
  if (current.rttMs !== null || lossPercent !== null) {
    const rtt = current.rttMs ?? 0;
    const loss = lossPercent ?? 0;
    rating = rtt > 400 || loss > 8
      ? "poor"
      : rtt > 200 || loss > 3
      ? "fair"
      : "good";
  }
  return {
    rttMs: round(current.rttMs),
    lossPercent: round(lossPercent),
    jitterMs: round(current.jitterMs),
    bitrateKbps: round(bitrateKbps),
    relayed: current.relayed,
    rating,
  };
}
