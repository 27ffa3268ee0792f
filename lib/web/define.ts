/**
 * `define.*` helpers in the style of Fresh 2: identity functions whose only
 * job is to give route handlers, pages, layouts and middleware their types.
 *
 * @module
 */
import type {
  Handlers,
  LayoutProps,
  Middleware,
  PageDataOf,
  PageProps,
} from "./types.ts";
import type { JSX } from "preact";

export interface Define<State> {
  handlers<H extends Handlers<State>>(handlers: H): H;
  /** `define.page<typeof handler>`: the page gets what the handler's `page()` gives. */
  page<Handler = undefined>(
    page: (props: PageProps<PageDataOf<Handler>, State>) => JSX.Element | null,
  ): (props: PageProps<PageDataOf<Handler>, State>) => JSX.Element | null;
  layout(
    layout: (props: LayoutProps<State>) => JSX.Element | null,
  ): (props: LayoutProps<State>) => JSX.Element | null;
  middleware(middleware: Middleware<State>): Middleware<State>;
}

/** Makes the `define` helpers for an app whose request state is `State`. */
export function createDefine<State>(): Define<State> {
  return {
    handlers: (handlers) => handlers,
    page: (page) => page,
    layout: (layout) => layout,
    middleware: (middleware) => middleware,
  };
}
