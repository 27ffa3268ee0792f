import { defineDoctor } from "@/lib/define.ts";
import { HttpError } from "@/lib/http/errors.ts";
import { recordReportShown, viewReport } from "@/lib/sessions/report.ts";
import { reportJson } from "@/lib/sessions/views.ts";

/** The session report as JSON: the same facts as the printable page. */
export const handler = defineDoctor.handlers({
  async GET(ctx) {
    const { clinic, doctor } = ctx.state;
    const view = await viewReport(clinic, doctor, ctx.params.id);
    if (!view.report) {
      throw new HttpError(
        409,
        "session_open",
        "The report is written when the visit ends; this one has not ended.",
      );
    }
    await recordReportShown(clinic, doctor, view);
    return Response.json(
      reportJson(view.report, {
        chat: view.chat?.map(({ from, text, at }) => ({ from, text, at })) ??
          null,
        note: view.note,
        contact: view.contact,
        publicUrl: clinic.config.publicUrl,
      }),
    );
  },
});
