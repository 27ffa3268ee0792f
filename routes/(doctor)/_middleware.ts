import { define } from "@/lib/define.ts";

/** Doctor pages need a signed-in doctor; others are sent to sign in. */
export const handler = define.middleware(async (ctx) => {
  if (!ctx.state.doctor) return ctx.redirect("/login", 303);
  const response = await ctx.next();
  // Pages with patient details must not be kept by shared caches.
  response.headers.set("Cache-Control", "no-store");
  return response;
});
