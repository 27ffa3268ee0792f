import { define } from "@/lib/define.ts";
import { notFound } from "@/lib/http/errors.ts";
import { Head } from "@/lib/web/render.tsx";
import { page } from "@/lib/web/page.ts";

export const handler = define.handlers((ctx) => {
  if (ctx.url.pathname.startsWith("/api/")) {
    return Response.json(notFound("That resource").toJSON(), { status: 404 });
  }
  return page(undefined, { status: 404 });
});

export default define.page(() => (
  <section class="panel narrow">
    <Head>
      <title>Not found</title>
    </Head>
    <h1>Page not found</h1>
    <p>
      This page does not exist, or the link has expired or been replaced. If a
      clinic sent you this link, ask them for a new one.
    </p>
  </section>
));
