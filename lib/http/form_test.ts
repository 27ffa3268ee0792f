import assert from "node:assert/strict";
import { z } from "zod";
import { HttpError, notFound } from "./errors.ts";
import { submitForm } from "./form.ts";

const schema = z.object({ name: z.string().min(1, "Enter a name") });
const shown = (errors: Record<string, string>, status: number) => ({
  shown: errors,
  status,
});

Deno.test("a valid form is acted on; an invalid one is shown again with its errors and nothing done", async () => {
  let acted = 0;
  const act = (data: { name: string }) => {
    acted++;
    return Promise.resolve({ done: data.name });
  };
  assert.deepEqual(await submitForm({ name: "Ada" }, schema, act, shown), {
    done: "Ada",
  });
  assert.deepEqual(await submitForm({ name: "" }, schema, act, shown), {
    shown: { name: "Enter a name" },
    status: 400,
  });
  assert.equal(acted, 1);
});

Deno.test("an action's refusal of bad input or a conflict is shown again; other errors are not", async () => {
  const refuse = (error: Error) => () => Promise.reject(error);
  assert.deepEqual(
    await submitForm(
      { name: "Ada" },
      schema,
      refuse(new HttpError(400, "invalid_input", "No", { name: "Taken" })),
      shown,
    ),
    { shown: { name: "Taken" }, status: 400 },
  );
  assert.deepEqual(
    await submitForm(
      { name: "Ada" },
      schema,
      refuse(new HttpError(409, "conflict", "Changed by someone else")),
      shown,
    ),
    { shown: { _: "Changed by someone else" }, status: 409 },
  );
  await assert.rejects(
    submitForm({ name: "Ada" }, schema, refuse(notFound()), shown),
    (error: HttpError) => error.status === 404,
  );
  await assert.rejects(
    submitForm({ name: "Ada" }, schema, refuse(new Error("disk full")), shown),
    /disk full/,
  );
});
