import Link from "next/link";

type Props = {
  /** The page shown, 1-based. */
  page: number;
  pageCount: number;
  /** The review at another page, same filters and sort. */
  hrefFor: (page: number) => string;
};

/** Pages to offer a link to: the first, the last, and two either side of the current one. */
export function pagesToOffer(page: number, pageCount: number): (number | "gap")[] {
  const wanted = new Set([1, pageCount]);
  for (let n = page - 2; n <= page + 2; n++) if (n >= 1 && n <= pageCount) wanted.add(n);
  const sorted = [...wanted].sort((a, b) => a - b);
  const offered: (number | "gap")[] = [];
  sorted.forEach((n, i) => {
    const previous = sorted[i - 1];
    if (previous !== undefined && n - previous > 1) offered.push("gap");
    offered.push(n);
  });
  return offered;
}

/**
 * Links to the other pages of the results: Previous, Next and page numbers,
 * the current one marked `aria-current="page"`. Plain links (the URL holds
 * the page), so they work without script and can be shared.
 */
export function ReviewPages({ page, pageCount, hrefFor }: Props) {
  if (pageCount <= 1) return null;
  return (
    <nav className="review-pages" aria-label="Pages of threads">
      {page > 1 ? (
        <Link href={hrefFor(page - 1)} className="review-page-step" rel="prev">
          ← Previous<span className="sr-only"> page</span>
        </Link>
      ) : (
        <span className="review-page-step" aria-hidden="true">
          ← Previous
        </span>
      )}
      <ol className="review-page-list">
        {pagesToOffer(page, pageCount).map((n, i) =>
          n === "gap" ? (
            <li key={`gap-${i}`} className="review-page-gap" aria-hidden="true">
              …
            </li>
          ) : (
            <li key={n}>
              <Link
                href={hrefFor(n)}
                className="review-page-number"
                aria-current={n === page ? "page" : undefined}
                aria-label={`Page ${n}${n === pageCount ? " (last)" : ""}`}
              >
                {n.toLocaleString("en-US")}
              </Link>
            </li>
          ),
        )}
      </ol>
      {page < pageCount ? (
        <Link href={hrefFor(page + 1)} className="review-page-step" rel="next">
          Next<span className="sr-only"> page</span> →
        </Link>
      ) : (
        <span className="review-page-step" aria-hidden="true">
          Next →
        </span>
      )}
    </nav>
  );
}
