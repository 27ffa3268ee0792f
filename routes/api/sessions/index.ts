import { define } from "../../../lib/define.ts";
import { HttpError } from "../../../lib/http/errors.ts";
import { parseOr400 } from "../../../lib/http/input.ts";
import { doctorHistory } from "../../../lib/sessions/history.ts";
import { sessionsQuery } from "../../../lib/sessions/history_input.ts";
import { sessionSummaryJson } from "../../../lib/sessions/views.ts";
import { InvalidCursorError } from "../../../lib/store/kv.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const { clinic, doctor } = ctx.state;
    const query = parseOr400(
      sessionsQuery,
      Object.fromEntries(ctx.url.searchParams),
    );
    try {
      const page = await doctorHistory(clinic, doctor!.id, query);
      return Response.json({
        items: page.items.map((s) =>
          sessionSummaryJson(s, clinic.config.publicUrl)
        ),
        cursor: page.cursor ?? null,
      });
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        throw new HttpError(400, "invalid_cursor", error.message);
      }
      throw error;
    }
  },
});
