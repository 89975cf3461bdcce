/**
 * The annotated copy's header: a colophon above the text saying what the
 * copy holds (seminar, exporter and date, snapshot, layers, filters,
 * counts, due date, the live reading's address) and a legend of the
 * highlight colours it uses.
 */
import { formatLongDay } from "@/lib/shared/dates";
import type { ExportData } from "../load-export-data";
import { hiddenWordsNotice, KIND_LABELS, participantName, webReadingUrl } from "../thread-presentation";
import { escapeHtml, safeColor, swatchStyle, timeTag } from "./markup";
import { kindClass } from "./text-writer";

/** What the export holds, in words: "Seminar discussion and private notes of Ana". */
export function describeLayers(data: ExportData): string {
  switch (data.options.layers) {
    case "seminar":
      return "Seminar discussion";
    case "private":
      return `Private notes of ${data.exporter.name}`;
    case "both":
      return `Seminar discussion and private notes of ${data.exporter.name}`;
  }
}

function legendHtml(data: ExportData): string {
  const used = new Map<string, { name: string; color: string | null }>();
  for (const thread of data.threads) {
    if (thread.category) {
      used.set(thread.category.id, { name: thread.category.name, color: safeColor(thread.category.color) });
    }
  }
  const items = [...used.values()].map(
    (category) =>
      `<li><span class="swatch"${swatchStyle(category.color)}></span>${escapeHtml(category.name)}</li>`,
  );
  const kinds = new Set(data.threads.filter((thread) => !thread.category).map((thread) => kindClass(thread)));
  if (kinds.has("hl-comment"))
    items.push(`<li><span class="swatch swatch-comment"></span>${KIND_LABELS.COMMENT}</li>`);
  if (kinds.has("hl-question"))
    items.push(`<li><span class="swatch swatch-question"></span>${KIND_LABELS.GUIDING_QUESTION}</li>`);
  if (kinds.has("hl-highlight"))
    items.push(`<li><span class="swatch swatch-comment"></span>${KIND_LABELS.HIGHLIGHT}</li>`);
  if (kinds.has("hl-note"))
    items.push(`<li><span class="swatch swatch-note"></span>${KIND_LABELS.NOTE}</li>`);
  return items.length > 0 ? `<ul class="legend" aria-label="Highlight colours">${items.join("")}</ul>` : "";
}

/** The colophon above the text: what, whose, when, which filters, where online, the colours used. */
export function headerHtml(data: ExportData, origin: string): string {
  const threads = data.threads.length;
  const comments = data.threads.reduce(
    (sum, thread) => sum + thread.comments.filter((comment) => !comment.isDeleted).length,
    0,
  );
  const detached = data.threads.filter((thread) => !thread.range).length;
  const counts = [
    `${threads} ${threads === 1 ? "thread" : "threads"}`,
    `${comments} ${comments === 1 ? "comment" : "comments"}`,
    ...(detached > 0 ? [`${detached} detached`] : []),
  ].join(" · ");

  const facts: [string, string][] = [
    ["Seminar", escapeHtml(data.seminar.title)],
    [
      "Exported",
      `${timeTag(data.generatedAt, formatLongDay(data.generatedAt))} by ${escapeHtml(data.exporter.name)}`,
    ],
  ];
  if (data.snapshot) {
    facts.push([
      "As of",
      `snapshot “${escapeHtml(data.snapshot.name)}”, ${timeTag(data.snapshot.createdAt, formatLongDay(data.snapshot.createdAt))}`,
    ]);
  }
  facts.push(["Layers", escapeHtml(describeLayers(data))]);
  const filters: string[] = [];
  if (!data.options.includeResolved) filters.push("resolved threads left out");
  if (data.options.participantId) {
    const name = participantName(data, data.options.participantId);
    filters.push(`only ${name ? escapeHtml(name) : "one participant"}’s threads and comments`);
  }
  if (filters.length > 0) facts.push(["Showing", filters.join("; ")]);
  const hidden = hiddenWordsNotice(data);
  if (hidden) facts.push(["Hidden", escapeHtml(hidden)]);
  facts.push(["Contents", escapeHtml(counts)]);
  if (data.reading.dueAt) facts.push(["Due", timeTag(data.reading.dueAt, formatLongDay(data.reading.dueAt))]);
  const url = webReadingUrl(data, origin);
  if (url) facts.push(["Online", `<a class="url" href="${escapeHtml(url)}">${escapeHtml(url)}</a>`]);

  const instruction = data.reading.instruction.trim()
    ? `<p class="instruction"><span class="label">Assignment</span> ${escapeHtml(data.reading.instruction.trim())}</p>`
    : "";
  return (
    `<header class="export-header">` +
    `<p class="eyebrow">Marginalia · annotated copy</p>` +
    `<dl class="facts">${facts.map(([term, value]) => `<div${term === "Online" ? ` class="wide"` : ""}><dt>${term}</dt><dd>${value}</dd></div>`).join("")}</dl>` +
    instruction +
    legendHtml(data) +
    `</header>`
  );
}
