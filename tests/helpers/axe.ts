/**
 * axe-core in a real page: runs every WCAG 2.0/2.1/2.2 A and AA rule (plus axe's
 * best practices) and returns the violations as readable lines, so a failing
 * test names the rule, its impact and the elements.
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);
/** axe-core's browser bundle, read once. */
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** The tags axe runs: the WCAG levels the issue measured, and axe's best practices. */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];

/** One violation, flattened for a test's failure message. */
export type AxeViolation = { rule: string; impact: string; help: string; targets: string[] };

/**
 * Runs axe on the page as it is now. Evaluated through the DevTools protocol, so
 * the page's Content-Security-Policy (no inline scripts) does not block it.
 * Elements a rule must skip carry `data-axe-skip="<rule>"` with the reason beside it in the source.
 */
export async function findAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    type Result = {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: unknown[]; html: string }[];
    };
    const axe = (
      window as unknown as {
        axe: { run: (context: unknown, options: unknown) => Promise<{ violations: Result[] }> };
      }
    ).axe;
    const { violations } = await axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    });
    return violations
      .map((violation) => ({
        rule: violation.id,
        impact: violation.impact ?? "unknown",
        help: violation.help,
        targets: violation.nodes
          .filter((node) => {
            const selector = node.target.map(String).join(" ");
            const element = document.querySelector(String(node.target[0]));
            const skip = element?.closest("[data-axe-skip]")?.getAttribute("data-axe-skip") ?? "";
            return !(selector && skip.split(" ").includes(violation.id));
          })
          .map((node) => `${node.target.map(String).join(" ")}  ${node.html.slice(0, 160)}`),
      }))
      .filter((violation) => violation.targets.length > 0);
  }, TAGS);
}

/** The violations as one message: "rule (impact): help" and the elements under it. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (violation) =>
        `${violation.rule} (${violation.impact}): ${violation.help}\n  ${violation.targets.join("\n  ")}`,
    )
    .join("\n");
}
