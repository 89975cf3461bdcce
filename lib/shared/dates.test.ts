/**
 * Days as Marginalia writes them, in UTC: the same day whether written from an ISO string
 * (remembered by its date) or a Date, at either end of the day, and anything else as it is.
 */
import { describe, expect, it } from "vitest";
import { formatDay, formatLongDay } from "./dates";

describe("formatDay / formatLongDay", () => {
  it("writes the UTC day of an ISO time, the same each time it is asked", () => {
    for (let round = 0; round < 2; round++) {
      expect(formatDay("2026-12-04T00:00:00.000Z")).toBe("4 Dec 2026");
      expect(formatDay("2026-12-04T23:59:59.999Z")).toBe("4 Dec 2026");
      expect(formatLongDay("2026-12-04T23:59:59Z")).toBe("4 December 2026");
      expect(formatLongDay("2026-12-05T00:00:00.000Z")).toBe("5 December 2026");
    }
  });

  it("writes a time with an offset, and a Date, as their day in UTC", () => {
    // 01:00 on the 5th at +02:00 is 23:00 on the 4th in UTC.
    expect(formatLongDay("2026-12-05T01:00:00+02:00")).toBe("4 December 2026");
    expect(formatDay(new Date("2026-01-02T03:04:05Z"))).toBe("2 Jan 2026");
  });

  it("remembers a Date's day as it remembers an ISO time's, and never mixes days past the year 9999", () => {
    for (let round = 0; round < 2; round++) {
      expect(formatDay(new Date("2026-12-04T00:00:00.000Z"))).toBe("4 Dec 2026");
      expect(formatDay(new Date("2026-12-04T23:59:59.999Z"))).toBe("4 Dec 2026");
      expect(formatLongDay(new Date("2026-12-05T00:00:00.000Z"))).toBe("5 December 2026");
      // Written "+010000-01-02T…" and "+010000-01-03T…": the same first ten characters.
      expect(formatDay(new Date(Date.UTC(10000, 0, 2)))).toBe("2 Jan 10000");
      expect(formatDay(new Date(Date.UTC(10000, 0, 3)))).toBe("3 Jan 10000");
    }
    expect(formatDay(new Date(Number.NaN))).toBe("Invalid Date");
  });

  it("gives back what is not a date as it is", () => {
    expect(formatDay("not a date")).toBe("not a date");
    expect(formatLongDay("2026-13-45T00:00:00.000Z")).toBe("2026-13-45T00:00:00.000Z");
  });

  it("keeps writing days correctly past the days it remembers", () => {
    const start = Date.parse("2020-01-01T12:00:00.000Z");
    for (let day = 0; day < 2500; day++) {
      const time = new Date(start + day * 86_400_000);
      const expected = new Intl.DateTimeFormat("en-GB", {
        day: "numeric",
        month: "short",
        year: "numeric",
        timeZone: "UTC",
      }).format(time);
      expect(formatDay(time.toISOString())).toBe(expected);
    }
  });
});
