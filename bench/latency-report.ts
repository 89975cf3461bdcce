/**
 * The latency section's report for `npm run bench` (bench/run.ts measures, this prints): the
 * A→B latency and memory table of our collab server beside the bare relay, Hocuspocus beside
 * ours, the commit floor beside the server's own commits, and the goals with their verdicts.
 */
import type { CommitFloor, FloorFigures } from "./commit-floor";

export type Kind = "marginalia" | "relay" | "hocuspocus";
/** The collab server's own commit latency (`/collab/metrics`: its last 512 commits). */
export type CommitLatency = { p50: number | null; p99: number | null; max: number | null; samples: number };
export type Memory = {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  isAfterGc: boolean;
};
export type Row = {
  kind: Kind;
  clients: number;
  p50: number;
  p99: number;
  max: number;
  lost: number;
  memory: Memory;
};

const cell = (text: string, width = 8) => text.padStart(width);
const ms = (value: number) => cell(Number.isFinite(value) ? value.toFixed(1) : "—");
const kb = (bytes: number) => cell((bytes / 1024).toFixed(1));
const ratio = (ours: number, theirs: number) =>
  cell(theirs > 0 && ours > 0 && Number.isFinite(ours / theirs) ? `${(ours / theirs).toFixed(1)}×` : "—");

/** Goal rows: p50 ≤ relay + 1.0 ms, p99 below Hocuspocus' in the same run, the server's commit p50 within 2× of the floor. */
export function printGoals(
  rows: Row[],
  levels: number[],
  commits: CommitLatency | null,
  floor: CommitFloor | null,
) {
  const verdict = (isMet: boolean) => (isMet ? "met" : "MISSED");
  console.log("");
  console.log("Goals");
  for (const clients of levels) {
    const ours = rows.find((row) => row.kind === "marginalia" && row.clients === clients);
    const relay = rows.find((row) => row.kind === "relay" && row.clients === clients);
    if (!ours || !relay) continue;
    const overRelay = ours.p50 - relay.p50;
    const hocuspocus = rows.find((row) => row.kind === "hocuspocus" && row.clients === clients);
    console.log(
      `  N=${clients}: p50 ${ours.p50.toFixed(2)} ms = relay ${relay.p50.toFixed(2)} + ${overRelay.toFixed(2)} ms ` +
        `(goal ≤ relay + 1.0: ${verdict(overRelay <= 1.0)}); p99 ${ours.p99.toFixed(2)} ms vs Hocuspocus ` +
        (hocuspocus
          ? `${hocuspocus.p99.toFixed(2)}: ${(ours.p99 / hocuspocus.p99).toFixed(2)}× ` +
            `(goal below it: ${verdict(ours.p99 < hocuspocus.p99)})`
          : "— (it did not run)"),
    );
  }
  if (floor) {
    const nearest = levels
      .map((clients) => {
        const ours = rows.find((row) => row.kind === "marginalia" && row.clients === clients);
        const relay = rows.find((row) => row.kind === "relay" && row.clients === clients);
        return ours && relay ? `N=${clients} +${(ours.p50 - relay.p50).toFixed(2)}` : null;
      })
      .filter(Boolean);
    console.log(
      `  what ours adds to the relay at the p50 (${nearest.join(", ")} ms) against one commit at the same ` +
        `rhythm alone: ${floor.paced.p50.toFixed(2)} ms (the relay commits nothing)`,
    );
  }
  if (commits && floor && commits.p50 !== null && commits.p99 !== null) {
    const ratios = (against: FloorFigures) => {
      const p50 = (commits.p50 as number) / against.p50;
      const p99 = (commits.p99 as number) / against.p99;
      return `p50 ${p50.toFixed(2)}×, p99 ${p99.toFixed(2)}× (goal within 2×: p50 ${verdict(p50 <= 2)}, p99 ${verdict(p99 <= 2)})`;
    };
    console.log(
      `  server's own commit latency (${commits.samples} commits): p50 ${commits.p50.toFixed(2)} ms, ` +
        `p99 ${commits.p99.toFixed(2)} ms`,
    );
    console.log(`    against the floor in a row (the issue's floor): ${ratios(floor.statement)}`);
    console.log(
      `    against the floor at the bench's rhythm (one every ${floor.intervalMs} ms, a listener open): ` +
        ratios(floor.paced),
    );
  }
}

/** The commit floor, in a row and at the bench's rhythm, next to the server's own commit latency. */
export function printFloor(commits: CommitLatency | null, floor: CommitFloor) {
  const rule = "─".repeat(95);
  const fixed = (value: number | null) => cell(value === null ? "—" : value.toFixed(2));
  const ratio = (value: number | null, against: number) =>
    cell(value === null ? "—" : `${(value / against).toFixed(1)}×`, 12);
  const line = (label: string, p50: number | null, p99: number | null) =>
    console.log(
      `${label.padEnd(56)}${fixed(p50)}${fixed(p99)}${ratio(p50, floor.statement.p50)}${ratio(p50, floor.paced.p50)}`,
    );
  console.log("");
  console.log(
    `One durable commit, ms: measured alone (${floor.statement.samples} in a row, one in flight; then ` +
      `${floor.paced.samples} at the latency rows' rhythm) and the server's own`,
  );
  console.log(rule);
  console.log(`${"".padEnd(56)}${cell("p50")}${cell("p99")}${cell("÷ in a row", 12)}${cell("÷ paced", 12)}`);
  console.log(rule);
  line("floor: one statement (INSERT + pg_notify in one CTE)", floor.statement.p50, floor.statement.p99);
  line("old shape: BEGIN; INSERT; SELECT pg_notify; COMMIT", floor.transaction.p50, floor.transaction.p99);
  line(
    `paced floor: the statement every ${floor.intervalMs} ms, a listener open`,
    floor.paced.p50,
    floor.paced.p99,
  );
  line(
    `a round trip alone at that rhythm: SELECT 1 every ${floor.intervalMs} ms`,
    floor.pacedRoundTrip.p50,
    floor.pacedRoundTrip.p99,
  );
  if (commits) line("the collab server's commits in the runs above (/metrics)", commits.p50, commits.p99);
  console.log(rule);
}

/** Ours beside the relay (latency, then memory per idle connection), then Hocuspocus beside ours. */
export function printTable(rows: Row[], levels: number[]) {
  const pairs = levels.map((clients) => ({
    clients,
    ours: rows.find((row) => row.kind === "marginalia" && row.clients === clients) as Row,
    relay: rows.find((row) => row.kind === "relay" && row.clients === clients) as Row,
  }));
  /** A group heading as wide as `cells` columns. */
  const group = (title: string, cells: number) => ` ${title}`.padEnd(cells * 8);
  const rule = "─".repeat(95);
  const print = (...parts: string[]) => console.log(parts.join(" │"));

  console.log("");
  console.log("A→B latency of a one-key Y.Map change, ms (probe's receive time − scheduled send time)");
  console.log(rule);
  print(
    "clients",
    group("Marginalia collab server", 4),
    group("bare y-protocols relay", 4),
    group("ours ÷ relay", 2),
  );
  print(
    "       ",
    ["p50", "p99", "max", "lost"].map((h) => cell(h)).join(""),
    ["p50", "p99", "max", "lost"].map((h) => cell(h)).join(""),
    ["p50", "p99"].map((h) => cell(h)).join(""),
  );
  console.log(rule);
  for (const { clients, ours, relay } of pairs) {
    print(
      cell(String(clients), 7),
      ms(ours.p50) + ms(ours.p99) + ms(ours.max) + cell(String(ours.lost)),
      ms(relay.p50) + ms(relay.p99) + ms(relay.max) + cell(String(relay.lost)),
      ratio(ours.p50, relay.p50) + ratio(ours.p99, relay.p99),
    );
  }
  console.log(rule);
  console.log("");
  console.log(
    "Server memory per idle connection, KB (after GC: (usage with N idle clients − usage before them) ÷ N)",
  );
  console.log(rule);
  print(
    "clients",
    group("Marginalia collab server", 3),
    group("bare y-protocols relay", 3),
    group("ours ÷ relay", 2),
  );
  print(
    "       ",
    ["heap", "extern", "RSS"].map((h) => cell(h)).join(""),
    ["heap", "extern", "RSS"].map((h) => cell(h)).join(""),
    ["heap", "RSS"].map((h) => cell(h)).join(""),
  );
  console.log(rule);
  for (const { clients, ours, relay } of pairs) {
    print(
      cell(String(clients), 7),
      kb(ours.memory.heapUsed) + kb(ours.memory.external) + kb(ours.memory.rss),
      kb(relay.memory.heapUsed) + kb(relay.memory.external) + kb(relay.memory.rss),
      ratio(ours.memory.heapUsed, relay.memory.heapUsed) + ratio(ours.memory.rss, relay.memory.rss),
    );
  }
  console.log(rule);
  printHocuspocusTable(rows, levels);
  if (!rows.every((row) => row.memory.isAfterGc))
    console.log("(gc was not exposed: memory figures include garbage)");
}

/** Hocuspocus beside ours: latency, memory per idle connection, and the ratios. */
function printHocuspocusTable(rows: Row[], levels: number[]) {
  const find = (kind: Kind, clients: number) =>
    rows.find((row) => row.kind === kind && row.clients === clients);
  if (!rows.some((row) => row.kind === "hocuspocus")) return;
  const rule = "─".repeat(95);
  console.log("");
  console.log(
    "Hocuspocus 3.4.4 (no extensions: in memory, commits nothing first), same room and clients; ours ÷ it",
  );
  console.log(rule);
  console.log(
    "clients │" +
      ["p50", "p99", "max", "lost", "heap KB", "RSS KB"].map((h) => cell(h)).join("") +
      " │" +
      ["p50", "p99", "heap", "RSS"].map((h) => cell(h)).join(""),
  );
  console.log(rule);
  for (const clients of levels) {
    const theirs = find("hocuspocus", clients);
    const ours = find("marginalia", clients);
    if (!theirs || !ours) continue;
    console.log(
      `${cell(String(clients), 7)} │` +
        ms(theirs.p50) +
        ms(theirs.p99) +
        ms(theirs.max) +
        cell(String(theirs.lost)) +
        kb(theirs.memory.heapUsed) +
        kb(theirs.memory.rss) +
        " │" +
        ratio(ours.p50, theirs.p50) +
        ratio(ours.p99, theirs.p99) +
        ratio(ours.memory.heapUsed, theirs.memory.heapUsed) +
        ratio(ours.memory.rss, theirs.memory.rss),
    );
  }
  console.log(rule);
}
