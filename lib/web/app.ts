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

/** Answers the same promise every time: a module is loaded once. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    if (loaded === undefined) {
      loaded = load();
      // A module that failed to load is tried again by the next request.
      loaded.catch(() => (loaded = undefined));
    }
    return loaded;
  };
}

/**
 * Builds the Hono app for a manifest. Patterns, their order and their
 * folders' middleware come from the file names alone; a route's module
 * (with its layouts and middleware) is imported by the first request it
 * matches, and the islands by the first page rendered.
 */
export function createFreshApp<State>(options: FreshAppOptions<State>): Hono {
  const { manifest, assets } = options;
  const islandsReady = once(async () => {
    const entries = await Promise.all(
      Object.entries(manifest.islands).map(async ([file, load]) =>
        [islandName(file), (await load()).default] as const
      ),
    );
    registerIslands(
      Object.fromEntries(entries) as Record<string, ComponentType<unknown>>,
    );
  });

  type Load = () => Promise<RouteModule>;
  const none: Load = () => Promise.resolve({});
  const byDir = {
    middleware: new Map<string, Load>(),
    layout: new Map<string, Load>(),
  };
  let appModule = none;
  let notFoundModule = none;
  let errorModule = none;
  const routes: { pattern: string; load: Load; dir: string }[] = [];
  for (const [file, load] of Object.entries(manifest.routes)) {
    const { kind, dir } = classifyRouteFile(file);
    const loadOnce = once(load);
    if (kind === "middleware") byDir.middleware.set(dir, loadOnce);
    else if (kind === "layout") byDir.layout.set(dir, loadOnce);
    else if (kind === "app") appModule = loadOnce;
    else if (kind === "notFound") notFoundModule = loadOnce;
    else if (kind === "error") errorModule = loadOnce;
    else routes.push({ pattern: routePattern(file), load: loadOnce, dir });
  }
  routes.sort((a, b) => comparePatterns(a.pattern, b.pattern));

  const chainFor = async (
    dir: string,
    page?: AnyComponent,
  ): Promise<PageChain> => {
    const layouts = await Promise.all(
      ancestorDirs(dir).map((d) => (byDir.layout.get(d) ?? none)()),
    );
    return {
      page,
      layouts: layouts.flatMap((layout) =>
        layout.default ? [layout.default] : []
      ),
      app: (await appModule()).default,
    };
  };
  /** The middleware of the folders from `dir` up, outermost first. */
  const middlewaresIn = (dirs: string[]) =>
    lazyMiddleware<State>(async () =>
      (await Promise.all(
        dirs.map((d) => (byDir.middleware.get(d) ?? none)()),
      )).flatMap((mod) =>
        toList(
          mod.handler as Middleware<State> | Middleware<State>[] | undefined,
        )
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
  app.use("*", middlewaresIn([""]));

  const render = async (
    result: HandlerResult,
    ctx: RouteContext<State>,
    chain: PageChain,
  ) => {
    if (!(result instanceof Response)) await islandsReady();
    return answer(result, ctx, chain, assets);
  };

  for (const route of routes) {
    const ready = once(async () => {
      const mod = await route.load();
      const chain = await chainFor(route.dir, mod.default);
      const handlers = mod.handler as
        | HandlerFn<State>
        | Partial<Record<Method, HandlerFn<State>>>
        | undefined;
      const byMethod = new Map<string, HandlerFn<State>>();
      for (const method of METHODS) {
        let fn: HandlerFn<State> | undefined;
        if (typeof handlers === "function") fn = handlers;
        else fn = handlers?.[method];
        if (!fn && method === "GET" && chain.page) fn = () => page();
        if (fn) byMethod.set(method, fn);
      }
      return { chain, byMethod };
    });
    // Hono routes a HEAD request as a GET.
    const methodOf = (c: Context) =>
      c.req.method === "HEAD" ? "GET" : c.req.method;
    app.all(
      route.pattern,
      async (c, next) => {
        const { byMethod } = await ready();
        if (byMethod.has(methodOf(c))) return await next();
        const allowed = [...byMethod.keys()].join(", ");
        return new HttpError(405, "method_not_allowed", `Use ${allowed}`)
          .withHeaders({ Allow: allowed }).toResponse();
      },
      middlewaresIn(ancestorDirs(route.dir).slice(1)),
      async (c) => {
        const { chain, byMethod } = await ready();
        const ctx = makeContext<State>(c);
        return await render(await byMethod.get(methodOf(c))!(ctx), ctx, chain);
      },
    );
  }

  app.notFound(async (c) => {
    const ctx = makeContext<State>(c);
    const mod = await notFoundModule();
    const handler = mod.handler as HandlerFn<State> | undefined;
    const result = typeof handler === "function"
      ? await handler(ctx)
      : page(undefined, { status: 404 });
    return render(result, ctx, await chainFor("", mod.default));
  });

  app.onError(async (error, c) => {
    try {
      const ctx = makeContext<State>(c);
      ctx.error = error;
      const mod = await errorModule();
      const handler = mod.handler as HandlerFn<State> | undefined;
      const result = typeof handler === "function"
        ? await handler(ctx)
        : page(undefined, { status: 500 });
      return await render(result, ctx, await chainFor("", mod.default));
    } catch (renderError) {
      console.error("Error page failed", renderError);
      return c.text("Internal Server Error", 500);
    }
  });
  return app;
}

/**
 * The middleware of some folders as one Hono middleware, their modules
 * loaded by the first request that passes; each runs as Hono would run it.
 */
function lazyMiddleware<State>(
  load: () => Promise<Middleware<State>[]>,
): MiddlewareHandler {
  const handlers = once(async () => (await load()).map(toHonoMiddleware));
  return async (c, next) => {
    const list = await handlers();
    const dispatch = async (i: number): Promise<void> => {
      if (i === list.length) return await next();
      const response = await list[i](c, () => dispatch(i + 1));
      if (response instanceof Response && !c.finalized) c.res = response;
    };
    await dispatch(0);
  };
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
