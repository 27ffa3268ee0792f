import { HTTPException } from "hono/http-exception";
import { define } from "@/lib/define.ts";
import { HttpError } from "@/lib/http/errors.ts";
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
  return page(error, { status: error.status, headers: error.headers });
});

export default define.page<typeof handler>(({ data }) => (
  <section class="panel narrow">
    <Head>
      <title>{data.status >= 500 ? "Error" : "Request not accepted"}</title>
    </Head>
    <h1>{data.status >= 500 ? "Something went wrong" : "That did not work"}</h1>
    <p>{data.message}</p>
    <p>
      <a href="/">Back to the start</a>
    </p>
  </section>
));
