/**
 * Types of the Fresh-style layer: what route, layout, middleware and island
 * modules export, and what their functions receive.
 *
 * This is a small Fresh-style layer on Hono, not Fresh: routing and
 * middleware are Hono's, rendering is preact-render-to-string's.
 *
 * @module
 */
import type { Context } from "hono";
import type { ComponentType, JSX } from "preact";

declare const pageData: unique symbol;

/**
 * What a handler returns to have its route's page rendered: the page's data
 * and the answer's status and headers (see `page()` in `page.ts`). Its type
 * remembers the data, so that `define.page<typeof handler>` gives the page
 * exactly what the handler passes.
 */
export interface PageResponse<Data> {
  readonly [pageData]?: Data;
  readonly data: Data;
  readonly status?: number;
  readonly headers?: HeadersInit;
}

/** What a handler may answer: a response, or a page to render. */
export type HandlerResult =
  // deno-lint-ignore no-explicit-any
  Response | PageResponse<any>;

/** What every handler, middleware and page receives about the request. */
export interface RouteContext<State> {
  req: Request;
  url: URL;
  params: Record<string, string>;
  state: State;
  /** The CSP nonce of this response, for the few tags that need one. */
  nonce: string;
  /** The underlying Hono context, for cookies and headers. */
  hono: Context;
  /** A redirect that turns a POST into a GET (303 by default). */
  redirect(location: string, status?: number): Response;
  /** An error thrown by a handler, available to `_500`. */
  error?: unknown;
}

export interface MiddlewareContext<State> extends RouteContext<State> {
  /** Runs the rest of the chain and returns its response. */
  next(): Promise<Response>;
}

export type HandlerFn<State> = (
  ctx: RouteContext<State>,
) => HandlerResult | Promise<HandlerResult>;

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type Handlers<State> =
  | HandlerFn<State>
  | Partial<Record<Method, HandlerFn<State>>>;

export type Middleware<State> = (
  ctx: MiddlewareContext<State>,
) => Response | Promise<Response>;

/** The data a route's handler gives its page: what its `page()` calls pass. */
export type PageDataOf<Handler> = Handler extends undefined ? undefined
  : Handler extends (...args: never[]) => infer R ? DataOf<Awaited<R>>
  : { [M in keyof Handler]: PageDataOf<Handler[M]> }[keyof Handler];

type DataOf<Result> = Result extends PageResponse<infer Data> ? Data : never;

export interface PageProps<Data = unknown, State = unknown> {
  data: Data;
  params: Record<string, string>;
  url: URL;
  state: State;
  error?: unknown;
}

export interface LayoutProps<State = unknown>
  extends PageProps<unknown, State> {
  /** The page (or inner layout) this layout wraps. */
  Component: ComponentType<Record<string, never>>;
}

export type PageComponent<Data, State> = (
  props: PageProps<Data, State>,
) => JSX.Element | null;

/** A module under `routes/`. */
export interface RouteModule {
  // deno-lint-ignore no-explicit-any
  default?: (props: any) => JSX.Element | null;
  // deno-lint-ignore no-explicit-any
  handler?: Handlers<any> | Middleware<any> | Middleware<any>[];
}

/** A module under `islands/`. */
export interface IslandModule {
  // deno-lint-ignore no-explicit-any
  default: ComponentType<any>;
}

/**
 * The generated `fresh.gen.ts`: every route and island by its file, each
 * imported when a request first needs it, so a server that has just
 * started holds only what starting needed.
 */
export interface Manifest {
  routes: Record<string, () => Promise<RouteModule>>;
  islands: Record<string, () => Promise<IslandModule>>;
  baseUrl: string;
}
