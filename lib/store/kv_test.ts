import assert from "node:assert/strict";
import { getAll, InvalidCursorError, listPage } from "./kv.ts";

const parse = (entry: Deno.KvEntry<unknown>) => entry.value as string;

function base64url(bytes: number[]): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-")
    .replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * A position inside an index as Deno KV's cursors spell it after the
 * listing's common prefix: the time (an ordered float64) and the id.
 */
function position(time: number, id: string): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, time);
  const raw = [...new Uint8Array(view.buffer)];
  const ordered = time >= 0 || Object.is(time, 0)
    ? [raw[0] ^ 0x80, ...raw.slice(1)]
    : raw.map((b) => b ^ 0xff);
  return [...ordered, 0x02, ...new TextEncoder().encode(id), 0x00];
}

/** Three doctors' indexes side by side, as the clinic's keys lie in the store. */
async function store() {
  const kv = await Deno.openKv(":memory:");
  for (const doctor of ["a", "b", "c"]) {
    for (let t = 1; t <= 5; t++) {
      await kv.set(
        ["by_doctor", doctor, t * 1000, `${doctor}${t}`],
        `${doctor}${t}`,
      );
    }
  }
  await kv.set(["by_doctor_patient", "b", "p", 1000, "b1"], "b1");
  await kv.set(["audit", 1000, "e1"], "e1");
  return kv;
}

Deno.test("a cursor reads on in its own listing, and nowhere else", async () => {
  const kv = await store();
  try {
    const own = ["by_doctor", "b"];
    for (const reverse of [false, true]) {
      const first = await listPage(kv, own, { limit: 2, reverse }, parse);
      assert.ok(first.cursor);
      const next = await listPage(kv, own, {
        limit: 2,
        reverse,
        cursor: first.cursor,
      }, parse);
      assert.deepEqual(
        next.items,
        reverse ? ["b3", "b2"] : ["b3", "b4"],
      );
      const tag = first.cursor.slice(0, 12);
      const kvCursor = first.cursor.slice(12);
      const refused: [
        Deno.KvKey,
        Partial<Parameters<typeof listPage>[2]>,
        string,
      ][] = [
        // Another doctor's listing, the same doctor with a patient filter, the audit.
        [["by_doctor", "a"], {}, first.cursor],
        [["by_doctor", "c"], {}, first.cursor],
        [["by_doctor_patient", "b", "p"], {}, first.cursor],
        [["audit"], {}, first.cursor],
        // The same index with another range or order.
        [own, { from: 1500 }, first.cursor],
        [own, { to: 4500 }, first.cursor],
        [own, { reverse: !reverse }, first.cursor],
        // The tag alone, or a position without the tag.
        [own, {}, tag],
        [own, {}, kvCursor],
        [own, {}, "A".repeat(40)],
      ];
      for (const [prefix, range, cursor] of refused) {
        const label = `${JSON.stringify(prefix)} ${
          JSON.stringify(range)
        } ${cursor}`;
        await assert.rejects(
          listPage(kv, prefix, { limit: 2, reverse, ...range, cursor }, parse),
          InvalidCursorError,
          label,
        );
      }
    }
  } finally {
    kv.close();
  }
});

Deno.test("whatever follows a listing's tag, only that listing's entries come back", async () => {
  const kv = await store();
  try {
    const own = ["by_doctor", "b"];
    // Positions before, inside and past the listing's range, every one- and
    // two-byte position, long ones, and garbage.
    const positions = [
      "!!",
      "A".repeat(400),
      base64url(Array(300).fill(0xff)),
      ...[-1, 0, 999, 2500, 5000, Number.MAX_SAFE_INTEGER, 1e300, Infinity]
        .flatMap((time) => [
          base64url(position(time, "b2")),
          base64url(position(time, "a2")),
          base64url(position(time, "\uffff")),
        ]),
    ];
    for (let a = 0; a < 256; a++) {
      for (const rest of [[], [0x00], [0x80], [0xff]]) {
        positions.push(base64url([a, ...rest]));
      }
    }
    let read = 0;
    for (const reverse of [false, true]) {
      const { cursor } = await listPage(kv, own, { limit: 1, reverse }, parse);
      const tag = cursor!.slice(0, 12);
      for (const position of positions) {
        try {
          const page = await listPage(kv, own, {
            limit: 20,
            reverse,
            cursor: tag + position,
          }, parse);
          assert.ok(page.items.every((i) => /^b\d$/.test(i)), position);
          read += page.items.length;
        } catch (error) {
          assert.ok(error instanceof InvalidCursorError, String(error));
        }
      }
    }
    assert.ok(read > 0, "some positions fall inside the listing");
  } finally {
    kv.close();
  }
});

Deno.test("getAll reads any number of keys, in their order, missing ones as null", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    for (let i = 0; i < 25; i += 2) await kv.set(["n", i], `v${i}`);
    const wanted = Array.from({ length: 25 }, (_, i) => ["n", 24 - i]);
    const entries = await getAll<string>(kv, wanted);
    assert.deepEqual(
      entries.map((e) => [e.key[1], e.value]),
      wanted.map(([, i]) => [i, (i as number) % 2 === 0 ? `v${i}` : null]),
    );
    assert.deepEqual(await getAll(kv, []), []);
  } finally {
    kv.close();
  }
});
