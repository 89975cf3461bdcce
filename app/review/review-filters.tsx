"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent, type ReactNode } from "react";
import { EMPTY_REVIEW_QUERY, reviewHref, type TReviewQuery } from "@/lib/shared/review/review-query";
import type { ReviewCategory, ReviewPerson } from "@/lib/shared/review/review-types";

type Props = {
  seminarId: string;
  documentId: string;
  /** The query the page was rendered with (from the URL). */
  query: TReviewQuery;
  participants: ReviewPerson[];
  categories: ReviewCategory[];
  /** The reading's tags the viewer may see, by name. */
  tags: string[];
};

/** Fields whose change applies at once; the search applies when submitted. */
type Field = Exclude<keyof TReviewQuery, "q">;

/**
 * Filters, search and sort of the review page. The URL holds the state, so
 * a filtered view is a link: every change navigates to the page with the new
 * query, and the server renders the results. Without script the form still
 * works: it is a GET form of the same fields.
 */
export function ReviewFilters({ seminarId, documentId, query, participants, categories, tags }: Props) {
  const router = useRouter();
  const [isPending, startTransition] = useTransition();
  const [draft, setDraft] = useState(query);
  // When the URL changes from elsewhere (back, forward, a link), follow it.
  const queryKey = JSON.stringify(query);
  const [shownKey, setShownKey] = useState(queryKey);
  if (shownKey !== queryKey) {
    setShownKey(queryKey);
    setDraft(query);
  }

  // A new filter, search or sort starts again at the first page of what it finds.
  const go = (wanted: TReviewQuery) => {
    const next = { ...wanted, page: 1 };
    setDraft(next);
    startTransition(() => router.replace(reviewHref(seminarId, documentId, next), { scroll: false }));
  };
  const set = (field: Field, value: string) => go({ ...draft, [field]: value || null });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    go(draft);
  };
  const isAnySet =
    JSON.stringify({ ...draft, sort: "position", page: 1, perPage: EMPTY_REVIEW_QUERY.perPage }) !==
    JSON.stringify(EMPTY_REVIEW_QUERY);

  return (
    <form
      className="review-filters"
      role="search"
      aria-label="Filter and search threads"
      method="get"
      onSubmit={onSubmit}
      aria-busy={isPending}
    >
      <div className="review-search">
        <label htmlFor="review-q" className="sr-only">
          Search quotes and comments
        </label>
        <input
          id="review-q"
          name="q"
          type="search"
          placeholder="Search quotes and comments…"
          maxLength={200}
          value={draft.q}
          onChange={(event) => setDraft({ ...draft, q: event.target.value })}
        />
        <button type="submit" className="button">
          Search
        </button>
      </div>

      <div className="review-filter-grid">
        <Select label="Participant" name="participant" value={draft.participant} onChange={set}>
          <option value="">Anyone</option>
          {participants.map((person) => (
            <option key={person.id} value={person.id}>
              {person.name}
              {person.role === "INSTRUCTOR"
                ? " (instructor)"
                : person.role === null
                  ? " (former member)"
                  : ""}
            </option>
          ))}
        </Select>
        <Select label="Role" name="role" value={draft.role} onChange={set}>
          <option value="">Any role</option>
          <option value="instructor">Instructors</option>
          <option value="student">Students</option>
        </Select>
        <Select label="Category" name="category" value={draft.category} onChange={set}>
          <option value="">Any category</option>
          {categories.map((category) => (
            <option key={category.id} value={category.id}>
              {category.name}
            </option>
          ))}
        </Select>
        <Select label="Tag" name="tag" value={draft.tag} onChange={set}>
          <option value="">Any tag</option>
          {tags.map((tag) => (
            <option key={tag} value={tag}>
              #{tag}
            </option>
          ))}
        </Select>
        <Select label="Kind" name="kind" value={draft.kind} onChange={set}>
          <option value="">Any kind</option>
          <option value="highlight">Highlights</option>
          <option value="comment">Comments</option>
          <option value="question">Guiding questions</option>
          <option value="note">My private notes</option>
        </Select>
        <Select label="Status" name="status" value={draft.status} onChange={set}>
          <option value="">Open and resolved</option>
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
        </Select>
        <div className="field review-field">
          <label htmlFor="review-from">Created from</label>
          <input
            id="review-from"
            name="from"
            type="date"
            value={draft.from ?? ""}
            onChange={(event) => set("from", event.target.value)}
          />
        </div>
        <div className="field review-field">
          <label htmlFor="review-to">Created until</label>
          <input
            id="review-to"
            name="to"
            type="date"
            value={draft.to ?? ""}
            onChange={(event) => set("to", event.target.value)}
          />
        </div>
        <Select label="Sort by" name="sort" value={draft.sort} onChange={set}>
          <option value="position">Position in the text</option>
          <option value="newest">Newest first</option>
          <option value="replies">Most replies</option>
          <option value="reactions">Most reactions</option>
        </Select>
      </div>

      <p className="review-filters-foot">
        {isAnySet && (
          <button
            type="button"
            className="button-link"
            onClick={() => go({ ...EMPTY_REVIEW_QUERY, sort: draft.sort, perPage: draft.perPage })}
          >
            Clear filters
          </button>
        )}
        <span className="review-pending" role="status" aria-live="polite">
          {isPending ? "Updating…" : ""}
        </span>
      </p>
    </form>
  );
}

function Select({
  label,
  name,
  value,
  onChange,
  children,
}: {
  label: string;
  name: Field;
  value: string | null;
  onChange: (field: Field, value: string) => void;
  children: ReactNode;
}) {
  const id = `review-${name}`;
  return (
    <div className="field review-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={value ?? ""}
        onChange={(event) => onChange(name, event.target.value)}
      >
        {children}
      </select>
    </div>
  );
}
