/**
 * A V8 heap snapshot of a running Deno process, over its inspector (start
 * it with `--inspect=127.0.0.1:<port>`), summarised as DevTools' summary
 * is: objects by constructor, closures by function name, the rest by kind,
 * each with its count and self size. Two summaries subtracted say what a
 * step (participants joining, say) left on the heap.
 *
 * Usage: deno run -A bench/memory/heap_snapshot.ts <inspector port> [file]
 * prints the top of the summary (and saves the snapshot to `file`, which
 * DevTools' Memory tab opens).
 *
 * @module
 */

/** One group of the summary: how many, and their own bytes. */
export interface Group {
  count: number;
  selfSize: number;
}

export type Summary = Map<string, Group>;

/** Group → "Holder .edge" → how many of the group's nodes it holds. */
export type Holders = Map<string, Map<string, number>>;

interface SnapshotJson {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** A snapshot's graph, read enough to group nodes and find who holds them. */
export class HeapGraph {
  readonly nodeCount: number;
  readonly #json: SnapshotJson;
  readonly #width: number;
  readonly #edgeWidth: number;
  readonly #f: Record<string, number> = {};
  readonly #e: Record<string, number> = {};

  constructor(text: string) {
    this.#json = JSON.parse(text);
    const meta = this.#json.snapshot.meta;
    meta.node_fields.forEach((f, i) => this.#f[f] = i);
    meta.edge_fields.forEach((f, i) => this.#e[f] = i);
    this.#width = meta.node_fields.length;
    this.#edgeWidth = meta.edge_fields.length;
    this.nodeCount = this.#json.nodes.length / this.#width;
  }

  #field(node: number, field: string): number {
    return this.#json.nodes[node * this.#width + this.#f[field]];
  }

  id(node: number): number {
    return this.#field(node, "id");
  }

  selfSize(node: number): number {
    return this.#field(node, "self_size");
  }

  /** What DevTools calls the node: objects by constructor, closures by name. */
  group(node: number): string {
    const type = this.#json.snapshot.meta.node_types[0][
      this.#field(node, "type")
    ];
    const name = this.#json.strings[this.#field(node, "name")];
    if (type === "object" || type === "native") return name;
    if (type === "closure") return `(closure) ${name || "anonymous"}`;
    return `(${type})`;
  }

  /** Every edge as [from node, edge name, to node, whether weak]. */
  *edges(): Generator<[number, string, number, boolean]> {
    const { nodes, edges, strings, snapshot } = this.#json;
    const edgeTypes = snapshot.meta.edge_types[0];
    let edge = 0;
    for (let node = 0; node < this.nodeCount; node++) {
      const count = nodes[node * this.#width + this.#f["edge_count"]];
      for (let i = 0; i < count; i++, edge += this.#edgeWidth) {
        const type = edgeTypes[edges[edge + this.#e["type"]]];
        const nameOrIndex = edges[edge + this.#e["name_or_index"]];
        const name = type === "element" || type === "hidden"
          ? `[${nameOrIndex}]`
          : strings[nameOrIndex];
        const to = edges[edge + this.#e["to_node"]] / this.#width;
        yield [node, name, to, type === "weak"];
      }
    }
  }

  summary(nodes: Iterable<number> = this.#all()): Summary {
    const summary: Summary = new Map();
    for (const node of nodes) {
      const key = this.group(node);
      const group = summary.get(key) ?? { count: 0, selfSize: 0 };
      group.count++;
      group.selfSize += this.selfSize(node);
      summary.set(key, group);
    }
    return summary;
  }

  /**
   * Who holds the nodes of the given groups: for each group, "Holder .edge"
   * with how many of them it holds (weak edges are left out).
   */
  holders(groups: Set<string>): Holders {
    const out: Holders = new Map();
    for (const [from, name, to, weak] of this.edges()) {
      if (weak) continue;
      const group = this.group(to);
      if (!groups.has(group)) continue;
      const byHolder = out.get(group) ?? new Map<string, number>();
      const key = `${this.group(from)} .${name}`;
      byHolder.set(key, (byHolder.get(key) ?? 0) + 1);
      out.set(group, byHolder);
    }
    return out;
  }

  *#all() {
    for (let n = 0; n < this.nodeCount; n++) yield n;
  }
}

/** An inspector session on the process's first target. */
export class Inspector {
  #ws: WebSocket;
  #next = 1;
  #pending = new Map<number, (result: unknown) => void>();
  #events = new Map<string, (params: Record<string, unknown>) => void>();

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data));
      if (message.id !== undefined) {
        this.#pending.get(message.id)?.(message.error ?? message.result);
        this.#pending.delete(message.id);
      } else this.#events.get(message.method)?.(message.params);
    };
  }

  static async connect(port: number): Promise<Inspector> {
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`))
      .json();
    const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error("cannot reach the inspector"));
    });
    return new Inspector(ws);
  }

  send(method: string, params: Record<string, unknown> = {}) {
    const id = this.#next++;
    return new Promise<unknown>((resolve) => {
      this.#pending.set(id, resolve);
      this.#ws.send(JSON.stringify({ id, method, params }));
    });
  }

  on(method: string, listener: (params: Record<string, unknown>) => void) {
    this.#events.set(method, listener);
  }

  /** The process's `Deno.memoryUsage()`, in bytes. */
  async memoryUsage(): Promise<Deno.MemoryUsage> {
    const answer = await this.send("Runtime.evaluate", {
      expression: "JSON.stringify(Deno.memoryUsage())",
    }) as { result: { value: string } };
    return JSON.parse(answer.result.value);
  }

  /** V8's heap spaces (new, old, code, large objects…): size and used, in bytes. */
  async heapSpaces(): Promise<Record<string, { size: number; used: number }>> {
    const answer = await this.send("Runtime.evaluate", {
      expression: `import("node:v8").then((v8) => JSON.stringify(
        Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [
          s.space_name,
          { size: s.space_size, used: s.space_used_size },
        ])),
      ))`,
      awaitPromise: true,
    }) as { result: { value: string } };
    return JSON.parse(answer.result.value);
  }

  /** A full heap snapshot (after a garbage collection), as its JSON text. */
  async heapSnapshot(): Promise<string> {
    const chunks: string[] = [];
    this.on("HeapProfiler.addHeapSnapshotChunk", (p) => {
      chunks.push(p.chunk as string);
    });
    await this.send("HeapProfiler.enable");
    await this.send("HeapProfiler.collectGarbage");
    await this.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
    await this.send("HeapProfiler.disable");
    return chunks.join("");
  }

  close() {
    this.#ws.close();
  }
}

export function summarise(text: string): Summary {
  return new HeapGraph(text).summary();
}

/** `after − before` of who holds a group, largest growth first. */
export function holdersGrown(
  before: Holders,
  after: Holders,
  group: string,
): [string, number][] {
  const b = before.get(group) ?? new Map<string, number>();
  return [...after.get(group) ?? []]
    .map(([holder, n]): [string, number] => [holder, n - (b.get(holder) ?? 0)])
    .sort((x, y) => y[1] - x[1]);
}

/** `after − before`, group by group, largest growth first. */
export function difference(before: Summary, after: Summary): [string, Group][] {
  const out: [string, Group][] = [];
  for (const [key, a] of after) {
    const b = before.get(key) ?? { count: 0, selfSize: 0 };
    out.push([key, {
      count: a.count - b.count,
      selfSize: a.selfSize - b.selfSize,
    }]);
  }
  return out.sort((x, y) => y[1].selfSize - x[1].selfSize);
}

export function total(summary: Summary): Group {
  let count = 0, selfSize = 0;
  for (const g of summary.values()) {
    count += g.count;
    selfSize += g.selfSize;
  }
  return { count, selfSize };
}

/** The groups as table lines; `per` divides counts and sizes (per participant). */
export function show(groups: [string, Group][], top: number, per = 1): string {
  return groups.slice(0, top).map(([key, g]) =>
    `${(g.selfSize / per).toFixed(0).padStart(10)} B  ${
      (g.count / per).toFixed(per === 1 ? 0 : 2).padStart(8)
    }  ${key}`
  ).join("\n");
}

if (import.meta.main) {
  const inspector = await Inspector.connect(Number(Deno.args[0]));
  const text = await inspector.heapSnapshot();
  console.log(await inspector.memoryUsage());
  inspector.close();
  if (Deno.args[1]) await Deno.writeTextFile(Deno.args[1], text);
  const summary = summarise(text);
  const sorted = [...summary].sort((x, y) => y[1].selfSize - x[1].selfSize);
  console.log(`total ${JSON.stringify(total(summary))}`);
  console.log(`   self size     count  group\n${show(sorted, 40)}`);
}
