/**
 * Notification emails through a real SMTP server on a local port
 * (`smtp-server`), sent by the outbox drainer with nodemailer: their words and
 * links, the unsubscribe link that needs no sign-in, and each message sent
 * once however many drainers race.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { createAnnotation } from "../../lib/server/annotations/create-annotation";
import { createComment } from "../../lib/server/annotations/create-comment";
import { db } from "../../lib/server/db";
import { resetEnv } from "../../lib/server/env";
import { drainOutbox, getMailTransport } from "../../lib/server/notifications/drain-outbox";
import { sendDailyDigests } from "../../lib/server/notifications/send-daily-digests";
import { unsubscribe } from "../../lib/server/notifications/unsubscribe";
import { closeUnreadChanges } from "../../lib/server/notifications/unread-events";
import { textToCommentBody, type CommentBody } from "../../lib/shared/comments/comment-body";
import { threadPath } from "../../lib/shared/urls";
import { anchorOn } from "../helpers/anchors";
import { buildSeminar, buildUser } from "../helpers/factories";

const APP_URL = "http://marginalia.test:8080";

/** One message as the SMTP server received it. */
type Received = { from: string; to: string[]; raw: string };

let smtp: SMTPServer;
const received: Received[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const { port } = smtp.server.address() as AddressInfo;
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  process.env.NEXTAUTH_URL = APP_URL;
  process.env.MAIL_FROM = "Marginalia <notify@marginalia.test>";
  resetEnv();
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  delete process.env.NEXTAUTH_URL;
  delete process.env.MAIL_FROM;
  resetEnv();
  await closeUnreadChanges();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

let counter = 0;
const id = () => `m${Date.now().toString(36)}${(counter++).toString(36).padStart(10, "0")}`;

/** Quoted-printable to text (UTF-8). */
function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, "");
  for (let index = 0; index < soft.length; index++) {
    const hex = soft.slice(index + 1, index + 3);
    if (soft[index] === "=" && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else bytes.push(...Buffer.from(soft[index] as string, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8").replace(/\r\n/g, "\n");
}

/** A header's value, unfolded, its encoded words (RFC 2047) decoded. */
function headerOf(message: Received, name: string): string {
  const head = message.raw.slice(0, message.raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, " ");
  const line = head.split(/\r?\n/).find((each) => each.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return (line ?? "")
    .slice(name.length + 1)
    .trim()
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, encoding: string, word: string) =>
      encoding.toUpperCase() === "B"
        ? Buffer.from(word, "base64").toString("utf8")
        : decodeQuotedPrintable(word.replace(/_/g, " ")),
    );
}

/** A message's (plain-text, quoted-printable) body as text. */
function bodyOf(message: Received): string {
  const at = message.raw.search(/\r?\n\r?\n/);
  return decodeQuotedPrintable(message.raw.slice(at).trim());
}

function mentioning(user: { id: string; name: string }, text: string): CommentBody {
  return {
    type: "doc",
    content: [
      {
        type: "paragraph",
        content: [
          { type: "mention", attrs: { id: user.id, label: user.name } },
          { type: "text", text: ` ${text}` },
        ],
      },
    ],
  };
}

describe("notification emails over SMTP", () => {
  it("sends a mention at once, with a link to the thread and an unsubscribe link that works signed out", async () => {
    const ada = await buildUser({ name: "Ada Author", email: "ada@example.test" });
    const ben = await buildUser({ name: "Ben Mentioner" });
    const seminar = await buildSeminar({ students: [ada, ben] });
    const anchor = await anchorOn(seminar.documentId as string, "the savage, the exotic Mexico");
    const annotationId = id();
    await createAnnotation({ userId: ben.id }, seminar.id, seminar.documentId as string, {
      id: annotationId,
      kind: "COMMENT",
      anchor,
      body: mentioning(ada, "is this the book's thesis?"),
    });
    expect(await db.emailOutbox.count({ where: { sentAt: null } })).toBe(1);
    expect(await drainOutbox(getMailTransport())).toBe(1);

    expect(received).toHaveLength(1);
    const message = received[0] as Received;
    expect(message.to).toEqual(["ada@example.test"]);
    expect(message.from).toBe("notify@marginalia.test");
    expect(headerOf(message, "Subject")).toMatch(/^Ben Mentioner mentioned you on “.+”$/);
    expect(headerOf(message, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(headerOf(message, "List-Unsubscribe")).toMatch(
      new RegExp(`^<${APP_URL}/api/unsubscribe\\?token=`),
    );
    const text = bodyOf(message);
    expect(text).toContain("Hello Ada Author,");
    expect(text).toContain("“@Ada Author is this the book's thesis?”");
    const threadLink = `${APP_URL}${threadPath(seminar.id, seminar.documentId as string, annotationId)}`;
    expect(text).toContain(`Open it: ${threadLink}`);
    // The link is the ordinary page: nothing in it signs anyone in.
    expect(new URL(threadLink).search).toBe("");

    const unsubscribeLink = /Stop emails for “Someone mentions me”: (\S+)/.exec(text)?.[1];
    expect(unsubscribeLink).toMatch(new RegExp(`^${APP_URL}/unsubscribe\\?token=`));
    const token = new URL(unsubscribeLink as string).searchParams.get("token") as string;
    // Tampered tokens name nothing.
    await expect(unsubscribe(token.replace(/.$/, (c) => (c === "A" ? "B" : "A")))).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(unsubscribe(token.replace("MENTION", "REPLY"))).rejects.toMatchObject({ code: "not_found" });
    expect(await unsubscribe(token)).toMatchObject({ kind: "MENTION" });
    expect(
      await db.notificationPreference.findMany({
        where: { userId: ada.id },
        select: { kind: true, channel: true },
      }),
    ).toEqual([{ kind: "MENTION", channel: "OFF" }]);

    // Off means off: the next mention makes neither an inbox entry nor an email.
    await createComment({ userId: ben.id }, annotationId, { id: id(), body: mentioning(ada, "again?") });
    expect(await db.notification.count({ where: { userId: ada.id, kind: "MENTION" } })).toBe(1);
    expect(await db.emailOutbox.count({ where: { sentAt: null } })).toBe(0);
  });

  it("two drainers racing send each message once", async () => {
    received.length = 0;
    const rows = Array.from({ length: 12 }, (_, index) => ({
      to: `reader${index}@example.test`,
      subject: `Message ${index}`,
      text: `Body ${index}`,
    }));
    await db.emailOutbox.createMany({ data: rows });
    const [first, second] = await Promise.all([
      drainOutbox(getMailTransport()),
      drainOutbox(getMailTransport()),
    ]);
    expect(first + second).toBe(12);
    expect(received.map((message) => message.to[0]).sort()).toEqual(rows.map((row) => row.to).sort());
    expect(await db.emailOutbox.count({ where: { sentAt: null } })).toBe(0);
  });

  it("a day's digest goes out once, however many sweeps race, and lists what is unread", async () => {
    received.length = 0;
    const cyd = await buildUser({ name: "Cyd Digest", email: "cyd@example.test" });
    const dee = await buildUser({ name: "Dee Replier" });
    const seminar = await buildSeminar({ students: [cyd, dee] });
    const anchor = await anchorOn(seminar.documentId as string, "the savage, the exotic Mexico");
    const annotationId = id();
    await createAnnotation({ userId: cyd.id }, seminar.id, seminar.documentId as string, {
      id: annotationId,
      kind: "COMMENT",
      anchor,
      body: textToCommentBody("A question about the opening."),
    });
    for (const text of ["First answer.", "Second answer."]) {
      await createComment({ userId: dee.id }, annotationId, { id: id(), body: textToCommentBody(text) });
    }
    // Replies default to the digest: nothing is emailed at once.
    expect(await db.emailOutbox.count({ where: { to: "cyd@example.test" } })).toBe(0);

    // Tomorrow, 09:00 UTC: past the digest hour, and after the replies were made.
    const morning = new Date();
    morning.setUTCDate(morning.getUTCDate() + 1);
    morning.setUTCHours(9, 0, 0, 0);
    const sweeps = await Promise.all([
      sendDailyDigests(morning),
      sendDailyDigests(morning),
      sendDailyDigests(morning),
    ]);
    expect(sweeps.flat().filter((userId) => userId === cyd.id)).toHaveLength(1);
    expect(await sendDailyDigests(morning)).toEqual([]);
    await drainOutbox(getMailTransport());

    const digests = received.filter((message) => message.to[0] === "cyd@example.test");
    expect(digests).toHaveLength(1);
    const text = bodyOf(digests[0] as Received);
    expect(headerOf(digests[0] as Received, "Subject")).toBe("Marginalia: 2 new notifications");
    expect(text).toContain("“First answer.”");
    expect(text).toContain("“Second answer.”");
    expect(text).toContain(`${APP_URL}${threadPath(seminar.id, seminar.documentId as string, annotationId)}`);
    expect(text).toMatch(
      /Stop emails for “Replies in threads I started or joined”: \S+\/unsubscribe\?token=/,
    );
  });
});
