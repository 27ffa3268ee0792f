/**
 * The app's `define` helpers, typed with its request state, and
 * `defineDoctor` for the routes only a signed-in doctor reaches.
 *
 * @module
 */
import { signInFirst } from "./http/errors.ts";
import type { AppState } from "./state.ts";
import type { Doctor } from "./store/doctors.ts";
import { createDefine, type Define } from "./web/define.ts";
import type { HandlerFn, Handlers } from "./web/types.ts";

export const define = createDefine<AppState>();

/** The request state on a doctor's route: a doctor is signed in. */
export interface DoctorState extends AppState {
  doctor: Doctor;
  loginSessionHash: string;
}

/**
 * `define` for the doctors' pages and API, whose folder middleware turns
 * everyone else away (`routes/(doctor)/`, `routes/api/(doctor)/`). Each
 * handler checks once more, so that a route moved out of those folders
 * refuses rather than serves.
 */
export const defineDoctor: Define<DoctorState> = {
  ...createDefine<DoctorState>(),
  handlers: (handlers) => signedInOnly(handlers),
};

function signedInOnly<H extends Handlers<DoctorState>>(handlers: H): H {
  const guard =
    (fn: HandlerFn<DoctorState>): HandlerFn<DoctorState> => (ctx) => {
      if (!ctx.state.doctor || !ctx.state.loginSessionHash) {
        throw signInFirst();
      }
      return fn(ctx);
    };
  if (typeof handlers === "function") return guard(handlers) as H;
  return Object.fromEntries(
    Object.entries(handlers).map(([method, fn]) => [method, guard(fn)]),
  ) as H;
}
