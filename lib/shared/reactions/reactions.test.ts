import { describe, expect, it } from "vitest";
import { describeReactors, MAX_LISTED_REACTORS, nameReactors } from "./reactions";

const ME = { id: "me" };
const NAMES = { ana: "Ana Ruiz", tomas: "Tomás Herrera", me: "Mae Myself" };

describe("describeReactors", () => {
  it.each([
    ["nobody", [], ""],
    ["one person", ["ana"], "Ana Ruiz"],
    ["two people, oldest first", ["tomas", "ana"], "Tomás Herrera and Ana Ruiz"],
    ["three people", ["ana", "tomas", "cal"], "Ana Ruiz, Tomás Herrera and Cal Member"],
    ["the reader alone", ["me"], "You"],
    ["the reader first, wherever they are", ["ana", "me", "tomas"], "You, Ana Ruiz and Tomás Herrera"],
    ["someone nobody can name", ["ana", "gone"], "Ana Ruiz and a former member"],
  ])("%s", (_name, ids, expected) => {
    const fromMembers = (id: string) => (id === "cal" ? "Cal Member" : undefined);
    expect(describeReactors(ids, NAMES, ME, fromMembers)).toBe(expected);
  });

  it("prefers the room's names to the page's member list", () => {
    expect(describeReactors(["ana"], NAMES, ME, () => "Old Name")).toBe("Ana Ruiz");
  });

  it(`lists at most ${MAX_LISTED_REACTORS} names and counts the rest`, () => {
    const ids = Array.from({ length: MAX_LISTED_REACTORS + 3 }, (_, i) => `u${i}`);
    const names = Object.fromEntries(ids.map((id) => [id, `Person ${id}`]));
    const text = describeReactors(ids, names, ME);
    expect(text.startsWith("Person u0, Person u1, ")).toBe(true);
    expect(text.endsWith(`Person u${MAX_LISTED_REACTORS - 1} and 3 others`)).toBe(true);
    expect(describeReactors(ids.slice(0, MAX_LISTED_REACTORS + 1), names, ME)).toMatch(/ and 1 other$/);
  });
});

describe("nameReactors", () => {
  it("maps each reacting user to their name, once", () => {
    expect(
      nameReactors([
        { userId: "ana", user: { name: "Ana Ruiz" } },
        { userId: "ana", user: { name: "Ana Ruiz" } },
        { userId: "tomas", user: { name: "Tomás Herrera" } },
      ]),
    ).toEqual({ ana: "Ana Ruiz", tomas: "Tomás Herrera" });
  });
});
