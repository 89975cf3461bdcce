/**
 * Margin cards beside their passages, measured in the browser on the demo
 * discussion and on a seeded 300-thread reading. With nothing focused, every
 * card's top is at or below its passage's top (page coordinates), no two
 * placed items overlap, and a card with nothing competing for its place (no
 * item above reaching down past its passage, its passage below the margin's
 * tools) sits level with its passage. Each test prints the median and largest
 * card→passage distance it measured. Correctness only: no timing.
 * MARGIN_DUMP=1 prints every screen's items (top–bottom, passage top, stack size).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import {
  DEMO_PASSWORD,
  DEMO_USERS,
  findDemoReading,
  seedDemo,
  seedDemoDiscussion,
} from "../../prisma/seed-demo";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { seedTexts } from "../../prisma/seed";
import { seedReading } from "../helpers/large-discussion";
import { openReadingAs } from "../helpers/reading-page";

/** Where to save screenshots (MARGIN_SCREENSHOTS=dir), for a person to look at. */
const SHOTS = process.env.MARGIN_SCREENSHOTS;
/** The layout's gap between items (app/reading/margin.tsx). */
const GAP = 12;
/** How far a measured top may stray from the layout's own reading of the passage (px). */
const TOLERANCE = 3;

let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  await seedTexts();
  await seedDemo();
  await seedDemoDiscussion();
  app = await startAppServer();
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** One placed margin item (a card, a stack, an open dense paragraph's card) as measured. */
type MeasuredItem = {
  /** Page coordinates (px). */
  top: number;
  bottom: number;
  /** One card and nothing above it in the item (no stack count, no "stack again" control). */
  isSingleCard: boolean;
  /** A stack's key and how many threads it holds (one card shown); null for other items. */
  stack: { key: string; count: number } | null;
  cards: { id: string; top: number; passageTop: number | null }[];
};

type Measurement = {
  containerTop: number;
  viewportTop: number;
  viewportBottom: number;
  items: MeasuredItem[];
};

/** The margin's placed items and their cards' passages, in page coordinates. */
function measure(page: Page): Promise<Measurement> {
  return page.evaluate(() => {
    const y = window.scrollY;
    const container = document.querySelector(".margin-cards") as HTMLElement;
    const items = [...container.children]
      .filter((item) => item.matches("[data-thread-id]") || item.querySelector("[data-thread-id]"))
      .map((item) => {
        const box = item.getBoundingClientRect();
        const cardElements = item.matches("[data-thread-id]")
          ? [item as HTMLElement]
          : [...item.querySelectorAll<HTMLElement>("[data-thread-id]")];
        const cards = cardElements.map((card) => {
          const id = card.dataset.threadId as string;
          const mark = document.querySelector(`.live-text [data-annotations~="${CSS.escape(id)}"]`);
          return {
            id,
            top: Math.round(card.getBoundingClientRect().top + y),
            passageTop: mark ? Math.round(mark.getBoundingClientRect().top + y) : null,
          };
        });
        const count = item.querySelector(".margin-stack-count")?.textContent ?? null;
        return {
          stack:
            count === null
              ? null
              : { key: (item as HTMLElement).dataset.itemKey ?? "", count: parseInt(count, 10) },
          top: Math.round(box.top + y),
          bottom: Math.round(box.bottom + y),
          isSingleCard:
            cards.length === 1 &&
            item.querySelector(".margin-stack-summary, .margin-stack-toggle") === null &&
            Math.abs((cards[0] as { top: number }).top - Math.round(box.top + y)) <= 1,
          cards,
        };
      })
      .sort((a, b) => a.top - b.top);
    return {
      containerTop: Math.round(container.getBoundingClientRect().top + y),
      viewportTop: y,
      viewportBottom: y + window.innerHeight,
      items,
    };
  });
}

/** Measures until two readings half a second apart agree (heights measured, cards placed). */
async function settledMeasurement(page: Page): Promise<Measurement> {
  let previous = "";
  for (let attempt = 0; attempt < 60; attempt++) {
    const measurement = await measure(page);
    const current = JSON.stringify(measurement);
    if (current === previous) return measurement;
    previous = current;
    await page.waitForTimeout(500);
  }
  throw new Error("The margin did not settle within 30 s");
}

type CardFinding = { id: string; distance: number; isUncontested: boolean };
type ReadingFindings = {
  cards: Map<string, CardFinding>;
  /** Threads counted in stacks but not shown as cards, by stack. */
  stacked: Map<string, number>;
};

/**
 * Checks one settled screen: the items in or near the viewport (their neighbours above
 * are rendered too, the margin renders well beyond the screen). Returns each card's
 * distance to its passage and whether nothing competed for its place.
 */
function checkScreen(measurement: Measurement): CardFinding[] {
  const { items, containerTop, viewportTop, viewportBottom } = measurement;
  for (let i = 1; i < items.length; i++)
    expect(
      (items[i] as MeasuredItem).top,
      `items overlap at ${(items[i] as MeasuredItem).top}px`,
    ).toBeGreaterThanOrEqual((items[i - 1] as MeasuredItem).bottom);
  const findings: CardFinding[] = [];
  items.forEach((item, i) => {
    if (item.bottom < viewportTop || item.top > viewportBottom) return;
    for (const card of item.cards) {
      if (card.passageTop === null) continue;
      expect(card.top, `card ${card.id} sits above its passage`).toBeGreaterThanOrEqual(
        card.passageTop - TOLERANCE,
      );
      const above = items[i - 1];
      const isUncontested =
        item.isSingleCard &&
        card.passageTop >= containerTop &&
        (above === undefined || above.bottom + GAP <= card.passageTop);
      if (isUncontested)
        expect(
          Math.abs(card.top - card.passageTop),
          `card ${card.id} has its place to itself but is not level with its passage`,
        ).toBeLessThanOrEqual(TOLERANCE);
      findings.push({ id: card.id, distance: Math.abs(card.top - card.passageTop), isUncontested });
    }
  });
  return findings;
}

/** Scrolls the whole reading a screen at a time, checking each screen; one finding per card. */
async function checkWholeReading(page: Page): Promise<ReadingFindings> {
  const cards = new Map<string, CardFinding>();
  const stacked = new Map<string, number>();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const step = 800;
  for (let y = 0; y < height; y += step) {
    await page.evaluate((top) => window.scrollTo({ top, behavior: "instant" }), y);
    const measurement = await settledMeasurement(page);
    if (process.env.MARGIN_DUMP)
      console.log(
        `DUMP y=${y} c=${measurement.containerTop} ` +
          measurement.items
            .map(
              (item) =>
                `[${item.top}-${item.bottom} p=${item.cards[0]?.passageTop} ${item.stack ? "S" + item.stack.count : ""}]`,
            )
            .join(" "),
      );
    for (const finding of checkScreen(measurement))
      if (!cards.has(finding.id)) cards.set(finding.id, finding);
    for (const item of measurement.items) if (item.stack) stacked.set(item.stack.key, item.stack.count - 1);
  }
  return { cards, stacked };
}

function summarise(label: string, { cards: findings, stacked }: ReadingFindings) {
  const distances = [...findings.values()].map((finding) => finding.distance).sort((a, b) => a - b);
  const median = distances[Math.floor(distances.length / 2)] ?? 0;
  const max = distances.at(-1) ?? 0;
  const uncontested = [...findings.values()].filter((finding) => finding.isUncontested).length;
  console.log(
    `[margin placement] ${label}: ${distances.length} cards, card→passage median ${median} px, max ${max} px; ` +
      `${uncontested} with their place to themselves; ${sum(stacked.values())} more in ${stacked.size} stacks`,
  );
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Opens a reading with motion reduced (instant scrolling, no card transitions), nothing focused. */
async function openReading(user: { email: string }, path: string, password?: string): Promise<Page> {
  const page = await openReadingAs(browser, app.url, user, path, password ? { password } : {});
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.mouse.move(0, 0);
  await page.locator(".margin-cards [data-thread-id]").first().waitFor({ timeout: 60_000 });
  return page;
}

describe("margin cards beside their passages", () => {
  it("on the demo discussion: at or below each passage, level where nothing competes", async () => {
    const { seminarId, documentId } = await findDemoReading();
    const open = await db.annotation.count({ where: { seminarId, resolvedAt: null } });
    const page = await openReading(
      DEMO_USERS[0],
      `/seminars/${seminarId}/readings/${documentId}`,
      DEMO_PASSWORD,
    );
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/margin-demo.png` });
    const findings = await checkWholeReading(page);
    summarise("demo discussion", findings);
    // Every open thread was seen beside the text (as a card or counted in a stack).
    expect(findings.cards.size + sum(findings.stacked.values())).toBe(open);
    expect([...findings.cards.values()].some((finding) => finding.isUncontested)).toBe(true);
    await page.context().close();
  }, 180_000);

  it("on a 300-thread reading: at or below each passage, level where nothing competes", async () => {
    const seeded = await seedReading(300);
    const page = await openReading(
      seeded.instructor,
      `/seminars/${seeded.seminarId}/readings/${seeded.documentId}`,
    );
    if (SHOTS) {
      await page.screenshot({ path: `${SHOTS}/margin-300-top.png` });
      await page.evaluate(() => window.scrollTo({ top: 4000, behavior: "instant" }));
      await settledMeasurement(page);
      await page.screenshot({ path: `${SHOTS}/margin-300-middle.png` });
    }
    const findings = await checkWholeReading(page);
    summarise("300 threads", findings);
    const open = await db.annotation.count({ where: { seminarId: seeded.seminarId, resolvedAt: null } });
    expect(findings.cards.size + sum(findings.stacked.values())).toBe(open);
    expect([...findings.cards.values()].some((finding) => finding.isUncontested)).toBe(true);
    await page.context().close();
  }, 300_000);
});
