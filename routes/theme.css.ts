import { define } from "@/lib/define.ts";

/** The clinic's colour, from its configuration, as a CSS variable. */
export const handler = define.handlers({
  GET(ctx) {
    return new Response(`:root{--brand:${ctx.state.clinic.config.colour}}\n`, {
      headers: {
        "Content-Type": "text/css; charset=utf-8",
        "Cache-Control": "public, max-age=300",
      },
    });
  },
});
