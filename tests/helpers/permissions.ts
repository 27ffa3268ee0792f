/**
 * The permissions the app runs with, read from `deno task start` in
 * deno.json (its `serve` task, and the default `KV_PATH` it reads from
 * `start.env`), so that tests start the server exactly as a clinic does,
 * with only their own KV file in place of the default one.
 *
 * @module
 */

const root = new URL("../../", import.meta.url);
type Task = string | { command: string };
const tasks = (JSON.parse(
  await Deno.readTextFile(new URL("deno.json", root)),
) as { tasks: Record<string, Task> }).tasks;
const command = (task: Task) => typeof task === "string" ? task : task.command;
/** A task's last command, in words; double quotes keep a word whole. */
const words = (task: Task) =>
  command(task).split("&&").at(-1)!.trim().match(/"[^"]*"|\S+/g)!;

/** What `deno task start` runs after the build, as words. */
export const START_COMMAND: readonly string[] = words(tasks.start);

const envFile = START_COMMAND.find((w) => w.startsWith("--env-file="))!
  .slice("--env-file=".length);
/** The `KV_PATH` the start task gives the server when none is set. */
export const DEFAULT_KV_PATH = /^KV_PATH=(.+)$/m.exec(
  await Deno.readTextFile(new URL(envFile, root)),
)![1].trim();

/**
 * The server's `--allow-*` flags as deno.json writes them, `$KV_PATH` and
 * quotes included: the documented command lines give them the same way.
 */
export const START_PERMISSIONS: readonly string[] = words(
  tasks[START_COMMAND.at(-1)!],
).filter((word) => word.replace(/^"/, "").startsWith("--allow-"));

/** The start task's flags as the server gets them, for this `KV_PATH`. */
export function appPermissions(kvPath = DEFAULT_KV_PATH): string[] {
  return START_PERMISSIONS.map((flag) =>
    flag.replace(/^"(.*)"$/, "$1").replaceAll("$KV_PATH", kvPath)
  );
}
