import { mkdtempSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addressKey, clientAddress, readOpenFileLimit, socketLimit } from "./admission";
import { TokenBucket } from "./rate-limit";

/** A request as the upgrade handler sees it: a peer address and headers. */
function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  } as unknown as IncomingMessage;
}

describe("addressKey", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["::1", "0:0:0:0::/64"],
    ["2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::1", "2001:db8:1:2::/64"],
    ["2001:DB8:0001:0002:ffff::9", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
  ])("keys %s as %s", (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});

describe("clientAddress", () => {
  it("ignores X-Forwarded-For unless the peer is a trusted proxy", () => {
    expect(clientAddress(request("198.51.100.1", "203.0.113.7"), [])).toBe("198.51.100.1");
    expect(clientAddress(request("198.51.100.1", "203.0.113.7"), ["10.0.0.1"])).toBe("198.51.100.1");
  });

  it("takes the last untrusted hop behind a trusted proxy, so a client cannot name its own address", () => {
    const proxies = ["10.0.0.1", "10.0.0.2"];
    expect(clientAddress(request("10.0.0.1", "203.0.113.7"), proxies)).toBe("203.0.113.7");
    expect(clientAddress(request("10.0.0.1", "1.2.3.4, 203.0.113.7, 10.0.0.2"), proxies)).toBe("203.0.113.7");
    expect(clientAddress(request("::ffff:10.0.0.1", "203.0.113.7"), proxies)).toBe("203.0.113.7");
    expect(clientAddress(request("10.0.0.1"), proxies)).toBe("10.0.0.1");
  });
});

describe("socketLimit", () => {
  it.each([
    [{ maxSockets: 50, fileDescriptorReserve: 1024 }, 20_000, 50],
    [{ maxSockets: null, fileDescriptorReserve: 1024 }, 20_000, 18_976],
    [{ maxSockets: null, fileDescriptorReserve: 1024 }, 1024, 768],
  ])("%o with %i descriptors allows %i sockets", (config, fileLimit, expected) => {
    expect(socketLimit(config, fileLimit)).toBe(expected);
  });
});

describe("readOpenFileLimit", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "limits-"));
  const limitsFile = (line: string) => {
    const file = path.join(dir, `limits-${Math.random()}`);
    writeFileSync(
      file,
      `Limit                     Soft Limit           Hard Limit           Units\n${line}\n`,
    );
    return file;
  };

  it("reads the soft limit, and null when it is unlimited or unreadable", () => {
    expect(
      readOpenFileLimit(
        limitsFile("Max open files            20000                65536                files"),
      ),
    ).toBe(20_000);
    expect(
      readOpenFileLimit(
        limitsFile("Max open files            unlimited            unlimited            files"),
      ),
    ).toBe(null);
    expect(readOpenFileLimit(path.join(dir, "missing"))).toBe(null);
  });
});

describe("TokenBucket.waitMs", () => {
  it("says how long until the next token without taking one", () => {
    let now = 0;
    const bucket = new TokenBucket(2, 1, () => now);
    expect(bucket.waitMs()).toBe(0);
    expect(bucket.take()).toBe(true);
    expect(bucket.waitMs()).toBe(500);
    now = 250;
    expect(bucket.waitMs()).toBe(250);
    expect(bucket.isFull()).toBe(false);
    now = 500;
    expect(bucket.isFull()).toBe(true);
  });
});
