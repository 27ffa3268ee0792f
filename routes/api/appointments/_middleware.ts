import { define } from "../../../lib/define.ts";

/** The appointments API answers only a signed-in doctor. */
export const handler = define.middleware(async (ctx) => {
  if (!ctx.state.doctor) {
    return Response.json({
      error: { code: "unauthenticated", message: "Sign in as a doctor first." },
    }, { status: 401 });
  }
  const response = await ctx.next();
  response.headers.set("Cache-Control", "no-store");
  return response;
});
