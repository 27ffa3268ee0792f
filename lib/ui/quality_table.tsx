/**
 * A visit's connection quality, one row per side, as the visit report
 * shows it: round trip, loss, jitter, bitrate and whether media went
 * through the TURN relay.
 *
 * @module
 */
import type { Role } from "@/lib/protocol/messages.ts";
import { average, type QualitySummary } from "@/lib/sessions/call_quality.ts";
import { ColumnHeads } from "./column_heads.tsx";

export function QualityTable(
  { quality }: { quality: Record<Role, QualitySummary | null> },
) {
  return (
    <section class="panel" aria-labelledby="quality-title">
      <h2 id="quality-title">Connection quality</h2>
      <table class="visits">
        <ColumnHeads
          names={[
            "Side",
            "Samples",
            "Round trip",
            "Packet loss",
            "Jitter",
            "Bitrate",
            "Path",
          ]}
        />
        <tbody>
          <QualityRow role="doctor" q={quality.doctor} />
          <QualityRow role="patient" q={quality.patient} />
        </tbody>
      </table>
    </section>
  );
}

function QualityRow(
  { role, q }: { role: Role; q: QualitySummary | null },
) {
  const fixed = (n: number | null, unit: string) =>
    n === null ? "—" : `${Math.round(n)} ${unit}`;
  if (!q) {
    return (
      <tr>
        <th scope="row">{role}</th>
        <td colSpan={6}>No measurements</td>
      </tr>
    );
  }
  return (
    <tr>
      <th scope="row">{role}</th>
      <td>{q.samples}</td>
      <td>
        {fixed(average(q.rttMs), "ms")} (worst {fixed(q.rttMs.max, "ms")})
      </td>
      <td>
        {q.lossPercent.count === 0
          ? "—"
          : `${(average(q.lossPercent) ?? 0).toFixed(1)} % (worst ${
            q.lossPercent.max.toFixed(1)
          } %)`}
      </td>
      <td>{fixed(average(q.jitterMs), "ms")}</td>
      <td>{fixed(average(q.bitrateKbps), "kbit/s")}</td>
      <td>
        {q.relayed === null ? "—" : q.relayed ? "relayed (TURN)" : "direct"}
        {q.ratings.poor > 0 && `, poor in ${q.ratings.poor} of ${q.samples}`}
      </td>
    </tr>
  );
}
