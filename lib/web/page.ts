/**
 * `page()`, as in Fresh 2: a handler returns `page(data)` to have its route's
 * page rendered with `data`, inside its layouts and `_app`. The layer
 * renders it after the handler returns, so middleware still sees a finished
 * response.
 *
 * @module
 */
import type { PageResponse } from "./types.ts";

export function page<Data = undefined>(
  data?: Data,
  init: { status?: number; headers?: HeadersInit } = {},
): PageResponse<Data> {
  return { data: data as Data, ...init };
}
