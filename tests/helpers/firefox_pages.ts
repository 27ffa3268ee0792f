/**
 * The call page in Firefox (puppeteer over WebDriver BiDi), as
 * `call_pages.ts` drives it in Chromium: entering through the device check,
 * reading what was decoded, chatting.
 *
 * @module
 */
import type { Page } from "puppeteer-core";
import { type DecodedVideo, readDecodedVideo } from "./call_pages.ts";

/** A button by its accessible name (as Playwright's `getByRole`). */
export function button(page: Page, name: string) {
  return page.locator(`::-p-aria([name="${name}"][role="button"])`);
}

/** The device check, then "Join the visit" (or its buttons in another language). */
export async function enterCallInFirefox(
  page: Page,
  buttons = { start: "Start camera and microphone", join: "Join the visit" },
) {
  await button(page, buttons.start).click();
  await button(page, buttons.join).click();
}

/** What the Firefox page decoded of the other side's video. */
export async function decodedVideoInFirefox(page: Page): Promise<DecodedVideo> {
  return await page.evaluate(readDecodedVideo);
}

/** Sends a chat line from the Firefox page to `peer` (the chat box's label names them). */
export async function chatFromFirefox(page: Page, peer: string, text: string) {
  await page.locator(
    `::-p-aria([name="Message to ${peer}"][role="textbox"])`,
  ).fill(text);
  await button(page, "Send").click();
}

/**
 * Reloads a Firefox page in a call: the page warns before leaving a call
 * (a `beforeunload` prompt), and the person says to leave. Returns the
 * prompt's type, so a test can check the warning came.
 */
export async function reloadFirefoxInCall(page: Page): Promise<string> {
  const asked = new Promise<string>((resolve) =>
    page.once("dialog", (dialog) => {
      resolve(dialog.type());
      void dialog.accept();
    })
  );
  await page.reload();
  return await asked;
}
