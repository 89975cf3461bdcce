import { describe, expect, it } from "vitest";
import {
  EMPTY_REVIEW_QUERY,
  endOfUtcDay,
  isFiltered,
  matchesSearch,
  MAX_REVIEW_PAGE_SIZE,
  REVIEW_PAGE_SIZE,
  readReviewQuery,
  reviewQueryToSearch,
  ZReviewQuery,
} from "./review-query";

describe("the review query", () => {
  it("defaults to nothing filtered, sorted by position", () => {
    expect(EMPTY_REVIEW_QUERY).toEqual({
      q: "",
      participant: null,
      role: null,
      category: null,
      tag: null,
      kind: null,
      status: null,
      from: null,
      to: null,
      paragraph: null,
      sort: "position",
      page: 1,
      perPage: REVIEW_PAGE_SIZE,
    });
    expect(isFiltered(EMPTY_REVIEW_QUERY)).toBe(false);
    expect(isFiltered({ ...EMPTY_REVIEW_QUERY, page: 4, perPage: 10 })).toBe(false);
  });

  it("treats empty form fields as any", () => {
    expect(ZReviewQuery.parse({ kind: "", status: "", tag: "", paragraph: "", sort: "" })).toEqual(
      EMPTY_REVIEW_QUERY,
    );
  });

  it("round-trips through the URL, leaving defaults out", () => {
    const query = ZReviewQuery.parse({ q: "exile -planet", kind: "comment", paragraph: "0", sort: "newest" });
    const search = reviewQueryToSearch(query);
    expect(search).toBe("?q=exile+-planet&kind=comment&paragraph=0&sort=newest");
    expect(readReviewQuery(Object.fromEntries(new URLSearchParams(search)))).toEqual(query);
    expect(reviewQueryToSearch(EMPTY_REVIEW_QUERY)).toBe("");
  });

  it("keeps the page in the URL, from the second on", () => {
    const query = ZReviewQuery.parse({ kind: "comment", page: "3", perPage: "100" });
    expect(reviewQueryToSearch(query)).toBe("?kind=comment&perPage=100&page=3");
    expect(readReviewQuery({ kind: "comment", page: "3", perPage: "100" })).toEqual(query);
    expect(reviewQueryToSearch({ ...query, page: 1, perPage: REVIEW_PAGE_SIZE })).toBe("?kind=comment");
    expect(readReviewQuery({ page: "zero", perPage: "100000" })).toEqual(EMPTY_REVIEW_QUERY);
  });

  it("reads a stale or hand-edited link leniently: a field that does not parse is ignored", () => {
    expect(readReviewQuery({ kind: "poems", sort: "newest", from: "yesterday", paragraph: "x" })).toEqual({
      ...EMPTY_REVIEW_QUERY,
      sort: "newest",
    });
    expect(readReviewQuery({ kind: ["question", "comment"] }).kind).toBe("question");
  });

  it("reads a tag in its stored form, with or without its #, and ignores a tag that is not one in a link", () => {
    expect(ZReviewQuery.parse({ tag: "#Exile" }).tag).toBe("exile");
    expect(reviewQueryToSearch(ZReviewQuery.parse({ tag: "Close-Reading" }))).toBe("?tag=close-reading");
    expect(readReviewQuery({ tag: "not a tag" }).tag).toBeNull();
    expect(ZReviewQuery.safeParse({ tag: "not a tag" }).success).toBe(false);
  });

  it("is strict where asked to parse (the API)", () => {
    expect(ZReviewQuery.safeParse({ role: "admin" }).success).toBe(false);
    expect(ZReviewQuery.safeParse({ q: "x".repeat(201) }).success).toBe(false);
    expect(ZReviewQuery.safeParse({ paragraph: "-1" }).success).toBe(false);
    expect(ZReviewQuery.safeParse({ page: "0" }).success).toBe(false);
    expect(ZReviewQuery.safeParse({ page: "2.5" }).success).toBe(false);
    expect(ZReviewQuery.safeParse({ perPage: String(MAX_REVIEW_PAGE_SIZE + 1) }).success).toBe(false);
  });

  it("ends a day at the next day's start (an inclusive `to`)", () => {
    expect(endOfUtcDay("2026-12-31").toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});

describe("matchesSearch (private notes, in memory)", () => {
  it.each([
    ["Look up Fernández later", "look up", true],
    ["Look up Fernández later", "FERNÁNDEZ", true],
    ["Look up Fernández later", "fernandez", false],
    ["Look up Fernández later", '"look up" -later', false],
    ["Look up Fernández later", '"look up" -trotsky', true],
    ["Look up Fernández later", "look trotsky", false],
    ["anything", "", true],
  ])("%j matches %j: %s", (text, q, expected) => {
    expect(matchesSearch(text, q)).toBe(expected);
  });
});
