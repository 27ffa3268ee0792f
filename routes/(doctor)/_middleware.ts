import { signInUrl } from "@/lib/auth/return_to.ts";
import { define } from "@/lib/define.ts";

/**
 * Doctor pages need a signed-in doctor; others are sent to sign in, with
 * the page they asked for and why, to come back to it after.
 */
export const handler = define.middleware(async (ctx) => {
  if (!ctx.state.doctor) {
    return ctx.redirect(signInUrl(ctx.url, ctx.state.signInEnded), 303);
  }
  const response = await ctx.next();
  // Pages with patient details must not be kept by shared caches.
  response.headers.set("Cache-Control", "no-store");
  return response;
});
