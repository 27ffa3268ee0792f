/**
 * The browser's boot module: finds the island markers the server rendered,
 * loads each island's module and hydrates it with its revived props.
 *
 * @module
 */
import { h, hydrate } from "preact";
import { type IslandPayload, reviveProps } from "./island_props.ts";

async function boot() {
  const script = document.getElementById("__islands");
  if (!script?.textContent) return;
  const payload = JSON.parse(script.textContent) as IslandPayload;
  const props = reviveProps(payload);
  const markers = [...document.querySelectorAll("x-island[data-island]")]
    // An island inside another island is hydrated by its outer island.
    .filter((el) => !el.parentElement?.closest("x-island"));
  await Promise.all(markers.map(async (marker) => {
    const name = marker.getAttribute("data-island") ?? "";
    const index = Number(marker.getAttribute("data-props"));
    const url = payload.modules[name];
    if (!url) return;
    const module = await import(url);
    hydrate(
      h(module.default, props[index] as Record<string, unknown>),
      marker,
    );
    marker.setAttribute("data-hydrated", "");
  }));
  document.documentElement.setAttribute("data-islands-ready", "");
}

boot().catch((error) => {
  console.error("Could not start the page's interactive parts", error);
});
