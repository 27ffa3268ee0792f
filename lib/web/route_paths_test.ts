import assert from "node:assert/strict";
import {
  ancestorDirs,
  classifyRouteFile,
  comparePatterns,
  routePattern,
} from "./route_paths.ts";

Deno.test("file names become Hono patterns", () => {
  assert.equal(routePattern("./routes/index.tsx"), "/");
  assert.equal(routePattern("./routes/login.tsx"), "/login");
  assert.equal(routePattern("./routes/(doctor)/dashboard.tsx"), "/dashboard");
  assert.equal(
    routePattern("./routes/(doctor)/appointments/[id]/index.tsx"),
    "/appointments/:id",
  );
  assert.equal(
    routePattern("./routes/visit/[token]/invite.ics.ts"),
    "/visit/:token/invite.ics",
  );
  assert.equal(routePattern("./routes/files/[...path].ts"), "/files/:path{.+}");
  assert.equal(routePattern("./routes/blog/[a]-[b].tsx"), "/blog/:a-:b");
});

Deno.test("special files are recognised with the folder they apply to", () => {
  assert.deepEqual(classifyRouteFile("./routes/_app.tsx"), {
    kind: "app",
    dir: "",
  });
  assert.deepEqual(classifyRouteFile("./routes/(doctor)/_middleware.ts"), {
    kind: "middleware",
    dir: "(doctor)",
  });
  assert.deepEqual(classifyRouteFile("./routes/a/b/_layout.tsx"), {
    kind: "layout",
    dir: "a/b",
  });
  assert.equal(classifyRouteFile("./routes/_404.tsx").kind, "notFound");
  assert.equal(classifyRouteFile("./routes/_500.tsx").kind, "error");
  assert.equal(classifyRouteFile("./routes/a/index.tsx").kind, "route");
});

Deno.test("static segments sort before parameters, parameters before catch-alls", () => {
  const sorted = [
    "/files/:path{.+}",
    "/appointments/:id",
    "/appointments/new",
    "/appointments/:id/call",
    "/",
  ].sort(comparePatterns);
  assert.deepEqual(sorted, [
    "/appointments/new",
    "/appointments/:id/call",
    "/appointments/:id",
    "/files/:path{.+}",
    "/",
  ]);
  assert.deepEqual(ancestorDirs("a/b"), ["", "a", "a/b"]);
  assert.deepEqual(ancestorDirs(""), [""]);
});
