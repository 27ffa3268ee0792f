/**
 * The app's `define` helpers, typed with its request state.
 *
 * @module
 */
import { createDefine } from "./web/define.ts";
import type { AppState } from "./state.ts";

export const define = createDefine<AppState>();
