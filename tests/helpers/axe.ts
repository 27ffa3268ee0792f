/**
 * axe-core's accessibility checks on a page of a browser test. Its source
 * is evaluated in the page through the driver (which the page's Content
 * Security Policy does not govern, as it would a script tag), then every
 * rule axe has that is not experimental runs on the whole document: WCAG A
 * and AA and axe's best practices (landmarks, heading order). Findings of
 * impact moderate, serious or critical fail the test; minor ones do not.
 *
 * @module
 */
import axe from "axe-core";
import type { Page } from "playwright-core";

/** The impacts that fail a test. */
const FAILING = new Set(["moderate", "serious", "critical"]);

/** One rule a page breaks, where, and how badly. */
export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  /** Each element that breaks it: its CSS selector and axe's summary. */
  nodes: string[];
}

/** The rules `page` breaks now, with impact moderate or above. */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  const present = await page.evaluate(() => "axe" in globalThis);
  if (!present) await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const run = (globalThis as unknown as { axe: typeof axe }).axe;
    const results = await run.run(document, { resultTypes: ["violations"] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? "unknown",
      help: v.help,
      nodes: v.nodes.map((n) =>
        `${n.target.join(" ")}: ${n.failureSummary ?? ""}`.replace(/\s+/g, " ")
      ),
    }));
  });
  return violations.filter((v) => FAILING.has(v.impact));
}

/**
 * Fails with every finding, named after the page's state ("dashboard,
 * empty"), when axe finds anything moderate or above on `page`.
 */
export async function assertAccessible(page: Page, state: string) {
  const findings = await axeFindings(page);
  if (findings.length === 0) return;
  const lines = findings.map((f) =>
    `- ${f.id} (${f.impact}): ${f.help}\n    ${f.nodes.join("\n    ")}`
  );
  throw new Error(
    `axe on ${state} (${page.url()}): ${findings.length} finding(s)\n${
      lines.join("\n")
    }`,
  );
}
