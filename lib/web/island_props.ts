/**
 * Serialises island props for the page and revives them in the browser:
 * plain JSON plus `@preact/signals` signals. A signal passed to several
 * islands stays one signal in the browser, so they keep sharing state.
 *
 * @module
 */
import { Signal, signal } from "@preact/signals";

const SIGNAL = "$signal";
const ESCAPED = "$object";

/** The JSON payload a page carries for its islands. */
export interface IslandPayload {
  /** Island name to the URL of its browser module. */
  modules: Record<string, string>;
  /** Props of each island, by the index in its marker. */
  props: unknown[];
  /** Current values of the signals the props refer to. */
  signals: unknown[];
}

/** Encodes props so that `revive` can rebuild them, signals included. */
export function encodeProps(propsList: unknown[]): {
  props: unknown[];
  signals: unknown[];
} {
  const ids = new Map<Signal, number>();
  const signals: unknown[] = [];
  const encode = (value: unknown, seen: Set<unknown>): unknown => {
    if (value instanceof Signal) {
      let id = ids.get(value);
      if (id === undefined) {
        id = signals.length;
        ids.set(value, id);
        signals.push(undefined);
        signals[id] = encode(value.peek(), seen);
      }
      return { [SIGNAL]: id };
    }
    if (value === null || typeof value !== "object") {
      if (typeof value === "function" || typeof value === "symbol") {
        throw new TypeError("Island props must be serialisable");
      }
      return typeof value === "bigint" ? String(value) : value;
    }
    if (seen.has(value)) throw new TypeError("Island props must not be cyclic");
    seen.add(value);
    let out: unknown;
    if (Array.isArray(value)) {
      out = value.map((item) => encode(item, seen));
    } else if (value instanceof Date) {
      out = value.toISOString();
    } else {
      const entries = Object.entries(value).filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, encode(v, seen)]);
      const object = Object.fromEntries(entries);
      out = SIGNAL in object || ESCAPED in object
        ? { [ESCAPED]: object }
        : object;
    }
    seen.delete(value);
    return out;
  };
  const props = propsList.map((p) => encode(p, new Set()));
  return { props, signals };
}

/** Rebuilds props encoded by `encodeProps`, making one signal per id. */
export function reviveProps(payload: IslandPayload): unknown[] {
  const made = new Map<number, Signal>();
  const revive = (value: unknown): unknown => {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map(revive);
    const object = value as Record<string, unknown>;
    if (typeof object[SIGNAL] === "number") {
      const id = object[SIGNAL] as number;
      let s = made.get(id);
      if (!s) {
        s = signal(revive(payload.signals[id]));
        made.set(id, s);
      }
      return s;
    }
    const plain = ESCAPED in object
      ? object[ESCAPED] as Record<string, unknown>
      : object;
    return Object.fromEntries(
      Object.entries(plain).map(([k, v]) => [k, revive(v)]),
    );
  };
  return payload.props.map(revive);
}

/**
 * JSON that is safe inside a `<script>` element: nothing in it can close the
 * element or start a comment, whatever the props contain.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}
