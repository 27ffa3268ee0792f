import assert from "node:assert/strict";
import { manifestSource } from "./manifest.ts";

Deno.test("the manifest imports every route and island by its file", () => {
  const text = manifestSource(
    ["./routes/_app.tsx", "./routes/visit/[token].tsx"],
    ["./islands/JoinCall.tsx"],
  );
  assert.match(text, /import \* as \$0 from "\.\/routes\/_app\.tsx";/);
  assert.match(
    text,
    /import \* as \$1 from "\.\/routes\/visit\/\[token\]\.tsx";/,
  );
  assert.match(text, /import \* as \$\$0 from "\.\/islands\/JoinCall\.tsx";/);
  assert.match(text, /"\.\/routes\/visit\/\[token\]\.tsx": \$1,/);
  assert.match(text, /"\.\/islands\/JoinCall\.tsx": \$\$0,/);
});
