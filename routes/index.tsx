import { define } from "@/lib/define.ts";

export const handler = define.handlers({
  GET(ctx) {
    return ctx.redirect(ctx.state.doctor ? "/dashboard" : "/login", 302);
  },
});
