/**
 * The permissions the app runs with, read from `deno task start` in
 * deno.json, so that tests start the server exactly as a clinic does, with
 * only the folder of the test's own KV file added.
 *
 * @module
 */

const config = JSON.parse(
  await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
) as { tasks: { start: string } };

/** The `--allow-*` flags of the start task. */
export const START_PERMISSIONS: readonly string[] = config.tasks.start
  .split("&&").at(-1)!.trim().split(/\s+/)
  .filter((arg) => arg.startsWith("--allow-"));

/** The start task's flags, with `kvDir` readable and writable too. */
export function appPermissions(kvDir?: string): string[] {
  return START_PERMISSIONS.map((flag) =>
    kvDir && /^--allow-(read|write)=/.test(flag) ? `${flag},${kvDir}` : flag
  );
}
