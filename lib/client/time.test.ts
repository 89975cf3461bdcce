import { describe, expect, it } from "vitest";
import { formatRelative, relativeTime } from "./time";

const UNITS = ["second", "minute", "hour", "day", "week", "month", "year"] as const;
const INTL = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

describe("formatRelative", () => {
  it("says what Intl.RelativeTimeFormat says in English, for every unit and count", () => {
    const values = [...Array.from({ length: 241 }, (_, i) => i - 120), -1000, 1000, -12345, 12345];
    const differences: string[] = [];
    for (const unit of UNITS)
      for (const value of values) {
        const ours = formatRelative(value, unit);
        const intl = INTL.format(value, unit);
        if (ours !== intl) differences.push(`${value} ${unit}: “${ours}”, Intl says “${intl}”`);
      }
    expect(differences).toEqual([]);
  });
});

describe("relativeTime", () => {
  const now = Date.parse("2026-12-07T12:00:00Z");
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

  it("rounds to the largest unit that fits", () => {
    expect(relativeTime(ago(10), now)).toBe("just now");
    expect(relativeTime(ago(50), now)).toBe("50 seconds ago");
    expect(relativeTime(ago(65), now)).toBe("1 minute ago");
    expect(relativeTime(ago(3 * 60), now)).toBe("3 minutes ago");
    expect(relativeTime(ago(5 * 3600), now)).toBe("5 hours ago");
    expect(relativeTime(ago(24 * 3600), now)).toBe("yesterday");
    expect(relativeTime(ago(3 * 86400), now)).toBe("3 days ago");
    expect(relativeTime(ago(7 * 86400), now)).toBe("last week");
    expect(relativeTime(ago(400 * 86400), now)).toBe("last year");
    expect(relativeTime(new Date(now + 2 * 3600 * 1000).toISOString(), now)).toBe("in 2 hours");
  });
});
