import assert from "node:assert/strict";
import { sampleStats, summarise } from "./quality.ts";

const report = (
  bytes: number,
  received: number,
  lost: number,
  rtt: number,
  type = "host",
) => [
  {
    id: "in1",
    type: "inbound-rtp",
    kind: "video",
    bytesReceived: bytes,
    packetsReceived: received,
    packetsLost: lost,
    jitter: 0.012,
  },
  {
    id: "pair",
    type: "candidate-pair",
    nominated: true,
    state: "succeeded",
    currentRoundTripTime: rtt,
    localCandidateId: "l",
    remoteCandidateId: "r",
  },
  { id: "l", type: "local-candidate", candidateType: type },
  { id: "r", type: "remote-candidate", candidateType: "host" },
];

Deno.test("bitrate, loss, rtt and jitter between two samples", () => {
  const first = sampleStats(report(0, 0, 0, 0.02), 1000);
  const second = sampleStats(report(250_000, 950, 50, 0.03), 3000);
  const q = summarise(first.sample, second);
  assert.equal(q.bitrateKbps, 1000); // 250 kB in 2 s
  assert.equal(q.lossPercent, 5);
  assert.equal(q.rttMs, 30);
  assert.equal(q.jitterMs, 12);
  assert.equal(q.relayed, false);
  assert.equal(q.rating, "fair");
});

Deno.test("a relayed pair is reported, and the first sample has no rate yet", () => {
  const only = sampleStats(report(1000, 10, 0, 0.5, "relay"), 1000);
  const q = summarise(null, only);
  assert.equal(q.relayed, true);
  assert.equal(q.bitrateKbps, null);
  assert.equal(q.rating, "poor");
  assert.equal(summarise(null, sampleStats([], 0)).rating, "unknown");
});
