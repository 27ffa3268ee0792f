/**
 * What Safari on iPhone and iPad needs of the call's video elements, which
 * no browser here can run, checked on the page's markup: every video plays
 * inline (`playsinline`; without it iOS takes it full screen, over the
 * call's controls) and starts by itself (`autoplay`), and the person's own
 * camera is muted (a muted video may autoplay anywhere, and nobody should
 * hear themselves). The other side's video keeps its sound.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";

/** Checks every video on the page; returns how many there were. */
export async function assertVideosPlayInline(page: Page): Promise<number> {
  const videos = await page.locator("video").evaluateAll((elements) =>
    (elements as HTMLVideoElement[]).map((v) => ({
      class: v.className,
      playsinline: v.hasAttribute("playsinline") && v.playsInline,
      autoplay: v.hasAttribute("autoplay") && v.autoplay,
      muted: v.muted,
    }))
  );
  for (const video of videos) {
    assert.ok(video.playsinline, `playsinline on ${JSON.stringify(video)}`);
    assert.ok(video.autoplay, `autoplay on ${JSON.stringify(video)}`);
    const own = /\b(self|preview)\b/.test(video.class);
    const remote = /\bremote\b/.test(video.class);
    assert.ok(own || remote, `a video the check knows: ${video.class}`);
    assert.equal(
      video.muted,
      own,
      `muted only when it is one's own camera: ${JSON.stringify(video)}`,
    );
  }
  return videos.length;
}
