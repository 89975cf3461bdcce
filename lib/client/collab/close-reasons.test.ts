import { describe, expect, it } from "vitest";
import { CloseCode, closeCodeName, isFinalCloseCode, type CloseCodeName } from "@/lib/shared/close-codes";
import { closeReason } from "./close-reasons";

describe("closeReason", () => {
  it("agrees with the y-websocket client on which named codes are final", () => {
    for (const [name, code] of Object.entries(CloseCode) as [CloseCodeName, number][]) {
      const reason = closeReason(code);
      if (reason) expect([name, reason.isFinal]).toEqual([name, isFinalCloseCode(code)]);
    }
  });

  it.each<[CloseCodeName, string]>([
    ["SESSION_ENDED", "You were signed out, so live updates stopped."],
    ["ACCESS_REVOKED", "You no longer have access to this reading."],
    ["RATE_LIMITED", "Too many changes too fast; live updates paused. Reload the page."],
    ["TOO_SLOW", "Your connection fell behind; catching up…"],
    ["GOING_AWAY", "The server is restarting; reconnecting…"],
  ])("tells the reader why the server closed with %s", (name, message) => {
    expect(closeReason(CloseCode[name])?.message).toBe(message);
  });

  it("offers sign-in only when the session ended, and a refresh when rights changed", () => {
    expect(closeReason(CloseCode.SESSION_ENDED)?.offersSignIn).toBe(true);
    expect(closeReason(CloseCode.ACCESS_REVOKED)?.shouldRefresh).toBe(true);
    expect(closeReason(CloseCode.CAPABILITIES_CHANGED)?.shouldRefresh).toBe(true);
    expect(closeReason(CloseCode.RATE_LIMITED)?.offersSignIn).toBe(false);
  });

  it("calls an unnamed 44xx code final, and says nothing for an ordinary disconnect", () => {
    expect(closeCodeName(4499)).toBeNull();
    expect(closeReason(4499)).toMatchObject({ isFinal: true, message: "The server closed the connection." });
    expect(closeReason(1000)).toBeNull();
    expect(closeReason(1006)).toBeNull();
  });
});
