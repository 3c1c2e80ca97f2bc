import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type axe from "axe-core";
import type { Page } from "playwright-core";

// axe-core in the page under test. It is evaluated through the DevTools protocol (page.evaluate):
// that is not subject to the page's Content-Security-Policy, so the pages are tested exactly as
// served, nonce-only script-src included; a <script> tag added to the page would be blocked by that
// policy, and bypassing the policy for the whole context would test a page nobody gets.

declare global {
  interface Window {
    axe: typeof axe;
  }
}

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export type Finding = {
  rule: string;
  impact: string;
  help: string;
  nodes: { target: string; html: string }[];
};

/** Runs axe on the page as it is now: the serious and critical violations, each naming the rule, its
 * impact, the target selectors and a snippet of the markup, so a failure says what to fix. */
export async function axeViolations(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ["violations"] });
    return results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({
        rule: v.id,
        impact: v.impact ?? "",
        help: v.help,
        nodes: v.nodes.map((node) => ({
          target: node.target.map((part) => String(part)).join(" "),
          html: node.html.replace(/\s+/g, " ").slice(0, 160),
        })),
      }));
  });
}
