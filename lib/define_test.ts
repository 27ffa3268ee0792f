import assert from "node:assert/strict";
import { defineDoctor, type DoctorState } from "./define.ts";
import { HttpError } from "./http/errors.ts";
import type { RouteContext } from "./web/types.ts";

const handler = defineDoctor.handlers({
  GET: (ctx) => new Response(`hello ${ctx.state.doctor.name}`),
});

const contextWith = (
  state: Partial<DoctorState>,
) => ({ state } as unknown as RouteContext<DoctorState>);

Deno.test("a doctor's route refuses a request without a signed-in doctor, even outside its folder", async () => {
  assert.throws(
    () => handler.GET(contextWith({ doctor: null as never })),
    (error: unknown) => error instanceof HttpError && error.status === 401,
  );
  const signedIn = contextWith({
    doctor: { name: "Dr Okafor" } as DoctorState["doctor"],
    loginSessionHash: "a".repeat(64),
  });
  const response = await handler.GET(signedIn) as Response;
  assert.equal(await response.text(), "hello Dr Okafor");
});
