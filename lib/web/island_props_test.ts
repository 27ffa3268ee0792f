import assert from "node:assert/strict";
import { signal } from "@preact/signals";
import { encodeProps, jsonForScript, reviveProps } from "./island_props.ts";

Deno.test("props round-trip through JSON, signals included and shared", () => {
  const count = signal(3);
  const encoded = encodeProps([
    { count, label: "a", nested: { list: [1, count] } },
    { count },
  ]);
  const payload = JSON.parse(
    JSON.stringify({
      modules: {},
      props: encoded.props,
      signals: encoded.signals,
    }),
  );
  const [first, second] = reviveProps(payload) as {
    count: { value: number };
    label?: string;
    nested?: { list: unknown[] };
  }[];
  assert.equal(first.count.value, 3);
  assert.equal(first.label, "a");
  // One signal on the server stays one signal in the browser.
  assert.equal(first.count, second.count);
  assert.equal(first.nested!.list[1], first.count);
  first.count.value = 4;
  assert.equal(second.count.value, 4);
});

Deno.test("an object that looks like a signal marker stays a plain object", () => {
  const encoded = encodeProps([{ data: { $signal: 0 } }]);
  const [revived] = reviveProps({ modules: {}, ...encoded }) as {
    data: unknown;
  }[];
  assert.deepEqual(revived.data, { $signal: 0 });
});

Deno.test("functions and cycles are refused", () => {
  assert.throws(() => encodeProps([{ onClick: () => {} }]), TypeError);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => encodeProps([cyclic]), TypeError);
});

Deno.test("JSON in a script element cannot close it", () => {
  const text = jsonForScript({
    name: "</script><script>alert(1)</script><!--",
  });
  assert.ok(!text.includes("<"));
  assert.ok(!text.includes(">"));
  assert.deepEqual(JSON.parse(text), {
    name: "</script><script>alert(1)</script><!--",
  });
});
