/**
 * Turns the generated manifest into a Hono app: one Hono route per page or
 * API file, with the middleware of its folders, its layouts and `_app`, and
 * `_404` / `_500` as the not-found and error handlers.
 *
 * This is a small Fresh-style layer on Hono, not Fresh.
 *
 * @module
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { h, type VNode } from "preact";
import type { ComponentType } from "preact";
import { HttpError } from "@/lib/http/errors.ts";
import {
  type ClientAssets,
  registerIslands,
  renderDocument,
} from "./render.tsx";
import {
  ancestorDirs,
  classifyRouteFile,
  comparePatterns,
  routePattern,
} from "./route_paths.ts";
import { page } from "./page.ts";
import type {
  HandlerFn,
  HandlerResult,
  Manifest,
  Method,
  Middleware,
  MiddlewareContext,
  PageProps,
  RouteContext,
  RouteModule,
} from "./types.ts";

const METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

export interface FreshAppOptions<State> {
  manifest: Manifest;
  assets: ClientAssets;
  /** The request's initial state, made fresh for every request. */
  createState(c: Context): State;
  /** Hono middleware that runs before any route (security headers, ...). */
  before?: MiddlewareHandler[];
  /** Hono sub-apps mounted before the routes (static files, sockets). */
  mount?: (app: Hono) => void;
}

// deno-lint-ignore no-explicit-any
type AnyComponent = ComponentType<any>;

interface PageChain {
  page?: AnyComponent;
  layouts: AnyComponent[];
  app?: AnyComponent;
}

/** Builds the Hono app for a manifest. */
export function createFreshApp<State>(options: FreshAppOptions<State>): Hono {
  const { manifest, assets } = options;
  registerIslands(
    Object.fromEntries(
      Object.entries(manifest.islands).map(([file, mod]) => [
        islandName(file),
        mod.default as ComponentType<unknown>,
      ]),
    ),
  );

  const byDir = {
    middleware: new Map<string, RouteModule>(),
    layout: new Map<string, RouteModule>(),
  };
  let appModule: RouteModule | undefined;
  let notFoundModule: RouteModule | undefined;
  let errorModule: RouteModule | undefined;
  const routes: {
    file: string;
    pattern: string;
    mod: RouteModule;
    dir: string;
  }[] = [];
  for (const [file, mod] of Object.entries(manifest.routes)) {
    const { kind, dir } = classifyRouteFile(file);
    if (kind === "middleware") byDir.middleware.set(dir, mod);
    else if (kind === "layout") byDir.layout.set(dir, mod);
    else if (kind === "app") appModule = mod;
    else if (kind === "notFound") notFoundModule = mod;
    else if (kind === "error") errorModule = mod;
    else routes.push({ file, pattern: routePattern(file), mod, dir });
  }
  routes.sort((a, b) => comparePatterns(a.pattern, b.pattern));

  const chainFor = (dir: string, page?: AnyComponent): PageChain => ({
    page,
    layouts: ancestorDirs(dir).flatMap((d) => {
      const layout = byDir.layout.get(d)?.default;
      return layout ? [layout] : [];
    }),
    app: appModule?.default,
  });
  const middlewaresFor = (dir: string, fromRoot: boolean) =>
    ancestorDirs(dir).slice(fromRoot ? 0 : 1).flatMap((d) =>
      toList(
        byDir.middleware.get(d)?.handler as Middleware<State> | Middleware<
          State
        >[] | undefined,
      )
    );

  const app = new Hono();
  // State first, so that even an error in an early middleware renders _500.
  app.use("*", async (c, next) => {
    c.set("state" as never, options.createState(c) as never);
    await next();
  });
  for (const mw of options.before ?? []) app.use("*", mw);
  options.mount?.(app);

  const notFoundChain = chainFor("", notFoundModule?.default);
  const rootMiddlewares = middlewaresFor("", true);
  for (const mw of rootMiddlewares) {
    app.use("*", toHonoMiddleware(mw));
  }

  for (const route of routes) {
    const chain = chainFor(route.dir, route.mod.default);
    const mws = middlewaresFor(route.dir, false).map((mw) =>
      toHonoMiddleware(mw)
    );
    const handlers = route.mod.handler as
      | HandlerFn<State>
      | Partial<Record<Method, HandlerFn<State>>>
      | undefined;
    const allowed: Method[] = [];
    for (const method of METHODS) {
      let fn: HandlerFn<State> | undefined;
      if (typeof handlers === "function") fn = handlers;
      else fn = handlers?.[method];
      if (!fn && method === "GET" && chain.page) fn = () => page();
      if (!fn) continue;
      allowed.push(method);
      const run = fn;
      app.on(
        method,
        [route.pattern],
        ...mws,
        async (c) => {
          const ctx = makeContext<State>(c);
          return answer(await run(ctx), ctx, chain, assets);
        },
      );
    }
    app.all(route.pattern, () =>
      new HttpError(
        405,
        "method_not_allowed",
        `Use ${allowed.join(", ")}`,
      ).withHeaders({ Allow: allowed.join(", ") }).toResponse());
  }

  app.notFound(async (c) => {
    const ctx = makeContext<State>(c);
    const handler = notFoundModule?.handler as HandlerFn<State> | undefined;
    const result = typeof handler === "function"
      ? await handler(ctx)
      : page(undefined, { status: 404 });
    return answer(result, ctx, notFoundChain, assets);
  });

  const errorChain = chainFor("", errorModule?.default);
  app.onError(async (error, c) => {
    try {
      const ctx = makeContext<State>(c);
      ctx.error = error;
      const handler = errorModule?.handler as HandlerFn<State> | undefined;
      const result = typeof handler === "function"
        ? await handler(ctx)
        : page(undefined, { status: 500 });
      return answer(result, ctx, errorChain, assets);
    } catch (renderError) {
      console.error("Error page failed", renderError);
      return c.text("Internal Server Error", 500);
    }
  });
  return app;
}

function toList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Island name from its file: `./islands/JoinCall.tsx` is `JoinCall`. */
export function islandName(file: string): string {
  return file.replace(/^.*\//, "").replace(/\.(tsx?|jsx?)$/, "");
}

function toHonoMiddleware<State>(mw: Middleware<State>): MiddlewareHandler {
  return async (c, next) => {
    let nextResponse: Response | undefined;
    const ctx: MiddlewareContext<State> = Object.assign(
      makeContext<State>(c),
      {
        next: async () => {
          await next();
          nextResponse = c.res;
          return c.res;
        },
      },
    );
    const response = await mw(ctx);
    if (nextResponse === undefined || response !== nextResponse) {
      return response;
    }
  };
}

function makeContext<State>(c: Context): RouteContext<State> {
  return {
    req: c.req.raw,
    url: new URL(c.req.url),
    params: c.req.param() as Record<string, string>,
    state: c.get("state" as never) as State,
    nonce: (c.get("secureHeadersNonce" as never) as string | undefined) ?? "",
    hono: c,
    redirect: (location, status = 303) =>
      new Response(null, { status, headers: { Location: location } }),
  };
}

/** A handler's answer as a response: a page is rendered in its chain. */
function answer<State>(
  result: HandlerResult,
  ctx: RouteContext<State>,
  chain: PageChain,
  assets: ClientAssets,
): Response {
  if (result instanceof Response) return result;
  const props: PageProps<unknown, State> = {
    data: result.data,
    params: ctx.params,
    url: ctx.url,
    state: ctx.state,
    error: ctx.error,
  };
  const html = renderDocument(pageTree(chain, props), assets, ctx.nonce);
  const headers = new Headers(result.headers);
  headers.set("Content-Type", "text/html; charset=utf-8");
  return new Response(html, { status: result.status ?? 200, headers });
}

function pageTree(chain: PageChain, props: PageProps<unknown, unknown>): VNode {
  const Page = chain.page;
  let Inner: AnyComponent = () => (Page ? h(Page, props) : null);
  for (const Layout of [...chain.layouts].reverse()) {
    const Wrapped: AnyComponent = Inner;
    Inner = (): VNode => h(Layout, { ...props, Component: Wrapped });
  }
  const App = chain.app;
  return App ? h(App, { ...props, Component: Inner }) : h(Inner, {});
}
