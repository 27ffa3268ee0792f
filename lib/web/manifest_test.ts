import assert from "node:assert/strict";
import { manifestSource } from "./manifest.ts";

Deno.test("the manifest imports every route and island by its file, when first needed", () => {
  const text = manifestSource(
    ["./routes/_app.tsx", "./routes/visit/[token].tsx"],
    ["./islands/JoinCall.tsx"],
  );
  assert.match(
    text,
    /"\.\/routes\/_app\.tsx": \(\) => import\("\.\/routes\/_app\.tsx"\),/,
  );
  assert.match(
    text,
    /"\.\/routes\/visit\/\[token\]\.tsx": \(\) => import\("\.\/routes\/visit\/\[token\]\.tsx"\),/,
  );
  assert.match(
    text,
    /"\.\/islands\/JoinCall\.tsx": \(\) => import\("\.\/islands\/JoinCall\.tsx"\),/,
  );
  assert.doesNotMatch(text, /^import \* as/m);
});
