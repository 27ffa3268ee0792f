/**
 * Structured logs, one JSON line per event. They say what happened (joins,
 * leaves, errors by code) and never carry patient details or secrets.
 * `LOG_LEVEL` (debug, info, warn, error, silent) sets what is written.
 *
 * @module
 */

const LEVELS = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  silent: 100,
} as const;
type Level = keyof typeof LEVELS;

function threshold(): number {
  let name: string | undefined;
  try {
    name = Deno.env.get("LOG_LEVEL");
  } catch {
    name = undefined;
  }
  return LEVELS[(name as Level) ?? "info"] ?? LEVELS.info;
}

const minimum = threshold();

function write(level: Level, event: string, fields: Record<string, unknown>) {
  if (LEVELS[level] < minimum) return;
  const line = JSON.stringify({
    at: new Date().toISOString(),
    level,
    event,
    ...fields,
  });
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

export const log = {
  debug: (event: string, fields: Record<string, unknown> = {}) =>
    write("debug", event, fields),
  info: (event: string, fields: Record<string, unknown> = {}) =>
    write("info", event, fields),
  warn: (event: string, fields: Record<string, unknown> = {}) =>
    write("warn", event, fields),
  error: (event: string, fields: Record<string, unknown> = {}) =>
    write("error", event, fields),
};
