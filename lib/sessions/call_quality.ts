/**
 * The connection quality of a call, summed up from the samples each
 * participant's browser sends every few seconds: averages and worst values,
 * how often it was good, fair or poor, and whether the media was relayed.
 *
 * @module
 */
import type { QualityReport, Role } from "@/lib/protocol/messages.ts";
import { keys } from "@/lib/store/keys.ts";

interface Measure {
  count: number;
  sum: number;
  max: number;
}

export interface QualitySummary {
  samples: number;
  ratings: Record<QualityReport["rating"], number>;
  rttMs: Measure;
  lossPercent: Measure;
  jitterMs: Measure;
  bitrateKbps: Measure;
  /** Whether any sample went through a TURN relay; `null` if never known. */
  relayed: boolean | null;
  firstAt: number;
  lastAt: number;
}

const none = (): Measure => ({ count: 0, sum: 0, max: 0 });

function add(measure: Measure, value: number | null): Measure {
  if (value === null) return measure;
  return {
    count: measure.count + 1,
    sum: measure.sum + value,
    max: Math.max(measure.max, value),
  };
}

/** The average of a measure, or `null` if no sample had it. */
export function average(measure: Measure): number | null {
  return measure.count === 0 ? null : measure.sum / measure.count;
}

export function addSample(
  summary: QualitySummary | null,
  sample: QualityReport,
  now: number,
): QualitySummary {
  const s = summary ?? {
    samples: 0,
    ratings: { good: 0, fair: 0, poor: 0, unknown: 0 },
    rttMs: none(),
    lossPercent: none(),
    jitterMs: none(),
    bitrateKbps: none(),
    relayed: null,
    firstAt: now,
    lastAt: now,
  };
  return {
    samples: s.samples + 1,
    ratings: { ...s.ratings, [sample.rating]: s.ratings[sample.rating] + 1 },
    rttMs: add(s.rttMs, sample.rttMs),
    lossPercent: add(s.lossPercent, sample.lossPercent),
    jitterMs: add(s.jitterMs, sample.jitterMs),
    bitrateKbps: add(s.bitrateKbps, sample.bitrateKbps),
    relayed: sample.relayed === null
      ? s.relayed
      : Boolean(s.relayed) || sample.relayed,
    firstAt: s.firstAt,
    lastAt: now,
  };
}

/** Adds one participant's sample to their summary of the call. */
export async function recordQuality(
  kv: Deno.Kv,
  roomId: string,
  role: Role,
  sample: QualityReport,
  now = Date.now(),
) {
  const key = keys.callQuality(roomId, role);
  while (true) {
    const current = await kv.get<QualitySummary>(key);
    const result = await kv.atomic().check(current)
      .set(key, addSample(current.value, sample, now)).commit();
    if (result.ok) return;
  }
}

export async function readQuality(
  kv: Deno.Kv,
  roomId: string,
): Promise<Record<Role, QualitySummary | null>> {
  const [doctor, patient] = await kv.getMany<
    [QualitySummary, QualitySummary]
  >([keys.callQuality(roomId, "doctor"), keys.callQuality(roomId, "patient")]);
  return { doctor: doctor.value, patient: patient.value };
}
