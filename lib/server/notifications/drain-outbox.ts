/**
 * Sends what the outbox holds. Any number of processes may drain at once:
 * each row is claimed with `FOR UPDATE SKIP LOCKED` in a transaction that
 * holds it while the SMTP server accepts the message and then marks it sent,
 * so a second drainer skips it rather than sending it again. A process that
 * dies after the server accepted a message but before its commit leaves the
 * row unsent, and it goes out again: at least once, and once in every other
 * case.
 */
import nodemailer, { type Transporter } from "nodemailer";
import { db } from "../db";
import { getEnv } from "../env";

/** Attempts before a message is given up (failedAt set, kept for inspection). */
export const MAX_EMAIL_ATTEMPTS = 5;

/** What sends one message: nodemailer's transporter, or anything with its `sendMail`. */
export type MailTransport = Pick<Transporter, "sendMail">;

const KEY = Symbol.for("marginalia.mail-transport");
type GlobalWithTransport = typeof globalThis & { [KEY]?: { url: string; transport: Transporter } };

/** The process's SMTP transport for SMTP_URL, or null when it is unset. */
export function getMailTransport(): MailTransport | null {
  const url = getEnv().SMTP_URL;
  if (!url) return null;
  const store = globalThis as GlobalWithTransport;
  if (store[KEY]?.url !== url) store[KEY] = { url, transport: nodemailer.createTransport(url) };
  return store[KEY].transport;
}

type OutboxRow = {
  id: bigint;
  to: string;
  subject: string;
  text: string;
  headers: unknown;
  attempts: number;
};

/**
 * Sends outbox messages until none is due or `limit` were handled; returns
 * how many this call sent. A failed send is retried later, backing off
 * (1, 2, 4, 8 minutes), up to {@link MAX_EMAIL_ATTEMPTS} attempts.
 */
export async function drainOutbox(
  transport: MailTransport | null = getMailTransport(),
  options: { limit?: number; from?: string } = {},
): Promise<number> {
  if (!transport) return 0;
  const from = options.from ?? getEnv().MAIL_FROM;
  const limit = options.limit ?? 100;
  let sent = 0;
  for (let handled = 0; handled < limit; handled++) {
    const outcome = await db.$transaction(
      async (tx) => {
        const [row] = await tx.$queryRaw<OutboxRow[]>`
          SELECT "id", "to", "subject", "text", "headers", "attempts" FROM "EmailOutbox"
          WHERE "sentAt" IS NULL AND "failedAt" IS NULL AND "notBefore" <= now()
          ORDER BY "id" LIMIT 1
          FOR UPDATE SKIP LOCKED`;
        if (!row) return "empty" as const;
        try {
          await transport.sendMail({
            from,
            to: row.to,
            subject: row.subject,
            text: row.text,
            headers: (row.headers ?? {}) as Record<string, string>,
          });
          await tx.emailOutbox.update({
            where: { id: row.id },
            data: { sentAt: new Date(), attempts: row.attempts + 1 },
          });
          return "sent" as const;
        } catch (error) {
          const attempts = row.attempts + 1;
          await tx.emailOutbox.update({
            where: { id: row.id },
            data: {
              attempts,
              lastError: String(error instanceof Error ? error.message : error).slice(0, 1000),
              notBefore: new Date(Date.now() + 60_000 * 2 ** (attempts - 1)),
              ...(attempts >= MAX_EMAIL_ATTEMPTS ? { failedAt: new Date() } : {}),
            },
          });
          console.error(`[mail] sending outbox message ${row.id} failed (attempt ${attempts}):`, error);
          return "failed" as const;
        }
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
    if (outcome === "empty") break;
    if (outcome === "sent") sent += 1;
  }
  return sent;
}
