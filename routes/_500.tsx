import { HTTPException } from "hono/http-exception";
import { define } from "@/lib/define.ts";
import { HttpError } from "@/lib/http/errors.ts";
import { PatientLinkError } from "@/lib/clinic/link_problem.ts";
import { linkProblems } from "@/lib/i18n/text/link_problems.ts";
import { translator } from "@/lib/i18n/translate.ts";
import {
  ClinicContact,
  LinkProblemPage,
  linkProblemTitle,
} from "@/lib/ui/patient_page.tsx";
import { InvalidCursorError } from "@/lib/store/kv.ts";
import { Head } from "@/lib/web/render.tsx";
import { page } from "@/lib/web/page.ts";

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof InvalidCursorError) {
    return new HttpError(400, "invalid_cursor", error.message);
  }
  if (error instanceof HTTPException) {
    return new HttpError(
      error.status,
      "bad_request",
      "The request could not be read.",
    );
  }
  console.error("Unexpected error", error);
  return new HttpError(
    500,
    "internal",
    "Something went wrong on our side. Please try again.",
  );
}

function wantsJson(ctx: { url: URL; req: Request }) {
  return ctx.url.pathname.startsWith("/api/") ||
    (ctx.req.headers.get("accept") ?? "").startsWith("application/json");
}

export const handler = define.handlers((ctx) => {
  const error = toHttpError(ctx.error);
  if (wantsJson(ctx)) return error.toResponse();
  if (error instanceof PatientLinkError) {
    ctx.state.patientPage = { language: error.language };
  }
  return page(error, { status: error.status, headers: error.headers });
});

export default define.page<typeof handler>(({ data, state }) => {
  const config = state.clinic.config;
  if (data instanceof PatientLinkError) {
    return (
      <>
        <Head>
          <title>
            {linkProblemTitle(data.problem, data.kind, data.language)}
          </title>
          <meta name="robots" content="noindex" />
        </Head>
        <LinkProblemPage
          problem={data.problem}
          kind={data.kind}
          language={data.language}
          config={config}
        />
      </>
    );
  }
  if (state.patientPage) {
    // Something else went wrong on a patient's page: no way to the sign-in.
    const language = state.patientPage.language;
    return (
      <section class="panel narrow">
        <Head>
          <title>{translator(linkProblems, language)("notAccepted")}</title>
        </Head>
        <h1>{translator(linkProblems, language)("notAccepted")}</h1>
        <p>{data.message}</p>
        <ClinicContact config={config} language={language} />
      </section>
    );
  }
  return <DoctorsError error={data} />;
});

function DoctorsError({ error: data }: { error: HttpError }) {
  return (
    <section class="panel narrow">
      <Head>
        <title>{data.status >= 500 ? "Error" : "Request not accepted"}</title>
      </Head>
      <h1>
        {data.status >= 500 ? "Something went wrong" : "That did not work"}
      </h1>
      <p>{data.message}</p>
      <p>
        <a href="/">Back to the start</a>
      </p>
    </section>
  );
}
