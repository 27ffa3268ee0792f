/**
 * Server rendering: a page inside its layouts and `_app`, with island markers
 * and their props, `<Head>` content, and the boot script carrying the nonce.
 *
 * Islands are recognised by identity through Preact's `options.vnode` hook,
 * as Fresh 1.x does, so routes import island components like any other.
 *
 * @module
 */
import { type ComponentChildren, type ComponentType, h, options } from "preact";
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import {
  encodeProps,
  type IslandPayload,
  jsonForScript,
} from "./island_props.ts";

/** Where the built browser modules are: written by `build`, read at start. */
export interface ClientAssets {
  boot: string;
  islands: Record<string, string>;
}

interface RenderScope {
  islands: { name: string; props: unknown }[];
  head: string[];
  wrapping: boolean;
}

const islandNames = new Map<ComponentType<unknown>, string>();
let scope: RenderScope | null = null;

/** Registers the components that hydrate in the browser. */
export function registerIslands(
  islands: Record<string, ComponentType<unknown>>,
) {
  for (const [name, component] of Object.entries(islands)) {
    islandNames.set(component, name);
  }
}

function IslandMarker(
  { island, name, props }: {
    island: ComponentType<unknown>;
    name: string;
    props: Record<string, unknown>;
  },
) {
  const current = scope;
  if (!current) return h(island, props);
  const { children: _children, ...serialisable } = props;
  const index = current.islands.push({ name, props: serialisable }) - 1;
  current.wrapping = true;
  const inner = h(island, serialisable);
  current.wrapping = false;
  return h("x-island", { "data-island": name, "data-props": index }, inner);
}

const previousVNodeHook = options.vnode;
options.vnode = (vnode: VNode) => {
  const name = scope && !scope.wrapping
    ? islandNames.get(vnode.type as ComponentType<unknown>)
    : undefined;
  if (name !== undefined) {
    const island = vnode.type;
    (vnode as { props: unknown }).props = { island, name, props: vnode.props };
    vnode.type = IslandMarker as typeof vnode.type;
  }
  previousVNodeHook?.(vnode);
};

/** Puts its children into the page's `<head>`; renders nothing in place. */
export function Head({ children }: { children: ComponentChildren }) {
  if (scope) {
    const outer = scope;
    scope = { islands: outer.islands, head: outer.head, wrapping: true };
    try {
      outer.head.push(renderToString(<>{children}</>));
    } finally {
      scope = outer;
    }
  }
  return null;
}

/** Renders a whole document and adds the island boot script if needed. */
export function renderDocument(
  tree: VNode,
  assets: ClientAssets,
  nonce: string,
): string {
  const outer = scope;
  scope = { islands: [], head: [], wrapping: false };
  let html: string;
  let current: RenderScope;
  try {
    html = renderToString(tree);
    current = scope;
  } finally {
    scope = outer;
  }
  if (current.head.length > 0) {
    const head = current.head.join("");
    // A page's own <title> replaces the one its layouts gave.
    if (head.includes("<title")) {
      html = html.replace(/<title>[^<]*<\/title>/, "");
    }
    html = insertBefore(html, "</head>", head);
  }
  if (current.islands.length > 0) {
    html = insertBefore(html, "</body>", islandScripts(current, assets, nonce));
  }
  return "<!DOCTYPE html>" + html;
}

function islandScripts(
  current: RenderScope,
  assets: ClientAssets,
  nonce: string,
): string {
  const modules: Record<string, string> = {};
  for (const { name } of current.islands) {
    const url = assets.islands[name];
    if (!url) {
      throw new Error(
        `Island "${name}" has no built module; run "deno task build"`,
      );
    }
    modules[name] = url;
  }
  const { props, signals } = encodeProps(current.islands.map((i) => i.props));
  const payload: IslandPayload = { modules, props, signals };
  const preloads = Object.values(modules).map((url) =>
    `<link rel="modulepreload" href="${url}" nonce="${nonce}">`
  ).join("");
  return `${preloads}<script type="application/json" id="__islands">${
    jsonForScript(payload)
  }</script><script type="module" src="${assets.boot}" nonce="${nonce}"></script>`;
}

function insertBefore(html: string, tag: string, content: string): string {
  const at = html.lastIndexOf(tag);
  return at === -1
    ? html + content
    : html.slice(0, at) + content + html.slice(at);
}
