"use client";

import { MAX_CHAPTER_RANGES } from "@/lib/shared/validation/uploads";

/** One reading's chapters, the first and last counted from 0 (as the API takes them). */
export type ChapterRange = { first: number; last: number };

type Props = {
  chapters: { title: string; index: number }[];
  /** Null: the whole book as one reading. */
  ranges: ChapterRange[] | null;
  onChange: (ranges: ChapterRange[] | null) => void;
};

/** Every chapter its own reading: what "chapter by chapter" means unless the instructor says otherwise. */
function oneRangePerChapter(count: number): ChapterRange[] {
  if (count > MAX_CHAPTER_RANGES) return [{ first: 0, last: count - 1 }];
  return Array.from({ length: count }, (_, i) => ({ first: i, last: i }));
}

/** A range with one end moved; the other end follows so the range never runs backwards. */
function withEnd(range: ChapterRange, end: "first" | "last", index: number): ChapterRange {
  if (end === "first") return { first: index, last: Math.max(index, range.last) };
  return { first: Math.min(index, range.first), last: index };
}

/**
 * The preview's chooser for a book: publish it whole, or as one reading per
 * range of chapters ("Reading 2: from Chapter 3 to Chapter 5"). Each range is
 * converted from the uploaded file on its own when published.
 */
export function ChapterRanges({ chapters, ranges, onChange }: Props) {
  const update = (index: number, end: "first" | "last", chapter: number) =>
    onChange((ranges ?? []).map((range, i) => (i === index ? withEnd(range, end, chapter) : range)));
  const add = () => {
    const previous = ranges?.at(-1);
    const start = Math.min(previous ? previous.last + 1 : 0, chapters.length - 1);
    onChange([...(ranges ?? []), { first: start, last: start }]);
  };
  const remove = (index: number) => {
    const rest = (ranges ?? []).filter((_, i) => i !== index);
    onChange(rest.length > 0 ? rest : null);
  };
  const options = chapters.map((chapter) => (
    <option key={chapter.index} value={chapter.index}>
      {chapter.index + 1}. {chapter.title}
    </option>
  ));
  return (
    <fieldset className="field chapter-chooser">
      <legend>Chapters</legend>
      <label className="choice">
        <input type="radio" name="split" checked={ranges === null} onChange={() => onChange(null)} />
        The whole book as one reading
      </label>
      <label className="choice">
        <input
          type="radio"
          name="split"
          checked={ranges !== null}
          onChange={() => onChange(oneRangePerChapter(chapters.length))}
        />
        One reading per range of chapters
      </label>
      {ranges && (
        <>
          <ol className="chapter-ranges">
            {ranges.map((range, i) => (
              <li key={i} className="chapter-range">
                <span className="chapter-range-name">Reading {i + 1}</span>
                <button
                  type="button"
                  className="button-link button-link-danger"
                  aria-label={`Remove reading ${i + 1}`}
                  onClick={() => remove(i)}
                >
                  Remove
                </button>
                <span className="chapter-range-word" aria-hidden="true">
                  From
                </span>
                <select
                  aria-label={`First chapter of reading ${i + 1}`}
                  value={range.first}
                  onChange={(event) => update(i, "first", Number(event.currentTarget.value))}
                >
                  {options}
                </select>
                <span className="chapter-range-word" aria-hidden="true">
                  to
                </span>
                <select
                  aria-label={`Last chapter of reading ${i + 1}`}
                  value={range.last}
                  onChange={(event) => update(i, "last", Number(event.currentTarget.value))}
                >
                  {options}
                </select>
              </li>
            ))}
          </ol>
          {ranges.length < MAX_CHAPTER_RANGES && (
            <button type="button" className="button" onClick={add}>
              Add a reading
            </button>
          )}
          <p className="field-hint">
            Each reading is its own text, titled with its chapters; all get the same due date and instruction.
          </p>
        </>
      )}
    </fieldset>
  );
}
