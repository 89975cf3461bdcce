/**
 * The words of notification emails, and putting them in the outbox. Links
 * point at the app's ordinary pages: opening one signs nobody in (a reader
 * who is not signed in meets the sign-in page first). Each email carries an
 * unsubscribe link per kind it contains, which works without signing in
 * (unsubscribe-token.ts), and a List-Unsubscribe header with one-click POST
 * (RFC 8058) for mail clients.
 */
import { NOTIFICATION_KIND_LABELS, type NotificationKindName } from "@/lib/shared/notifications/kinds";
import { NOTIFICATION_SETTINGS_PATH, unsubscribePath } from "@/lib/shared/urls";
import type { Tx } from "../db";
import { getAppUrl } from "../env";
import type { NotificationView } from "./notification-views";
import { signUnsubscribeToken } from "./unsubscribe-token";

/** An email ready for the outbox. */
export type EmailMessage = {
  /** The recipient's address. */
  to: string;
  /** The subject line. */
  subject: string;
  /** The plain-text body. */
  text: string;
  /** Extra headers. */
  headers: Record<string, string>;
};

/** The one-click endpoint a mail client POSTs to (List-Unsubscribe-Post). */
export function unsubscribeApiUrl(token: string): string {
  return `${getAppUrl()}/api/unsubscribe?token=${encodeURIComponent(token)}`;
}

function entryText(view: NotificationView, appUrl: string): string {
  const lines = [`${view.title} (${view.seminarTitle})`];
  if (view.excerpt) lines.push(`  “${view.excerpt}”`);
  lines.push(`  Open it: ${appUrl}${view.path}`);
  return lines.join("\n");
}

function footer(userId: string, kinds: readonly NotificationKindName[], appUrl: string): string {
  const lines = [
    "--",
    "Links open Marginalia as usual; if you are not signed in, you will be asked to sign in first.",
    `Choose which notifications you get, and how: ${appUrl}${NOTIFICATION_SETTINGS_PATH}`,
  ];
  for (const kind of kinds) {
    const label = NOTIFICATION_KIND_LABELS[kind];
    lines.push(`Stop emails for “${label}”: ${appUrl}${unsubscribePath(signUnsubscribeToken(userId, kind))}`);
  }
  return lines.join("\n");
}

/** One notification as an email sent at once. */
export function composeNotificationEmail(
  recipient: { id: string; name: string; email: string },
  view: NotificationView,
): EmailMessage {
  const appUrl = getAppUrl();
  const token = signUnsubscribeToken(recipient.id, view.kind);
  return {
    to: recipient.email,
    subject: view.title,
    text: [
      `Hello ${recipient.name},`,
      "",
      entryText(view, appUrl),
      "",
      footer(recipient.id, [view.kind], appUrl),
    ].join("\n"),
    headers: {
      "List-Unsubscribe": `<${unsubscribeApiUrl(token)}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}

/** A day's notifications as one digest email; `views` is not empty. */
export function composeDigestEmail(
  recipient: { id: string; name: string; email: string },
  views: readonly NotificationView[],
): EmailMessage {
  const appUrl = getAppUrl();
  const kinds = [...new Set(views.map((view) => view.kind))];
  const count = views.length === 1 ? "1 new notification" : `${views.length} new notifications`;
  // The header can name one kind only; the digest's own links cover each kind it holds.
  const token = signUnsubscribeToken(recipient.id, kinds[0] as NotificationKindName);
  return {
    to: recipient.email,
    subject: `Marginalia: ${count}`,
    text: [
      `Hello ${recipient.name},`,
      "",
      `Since your last digest: ${count}.`,
      "",
      views.map((view) => entryText(view, appUrl)).join("\n\n"),
      "",
      footer(recipient.id, kinds, appUrl),
    ].join("\n"),
    headers: {
      "List-Unsubscribe": `<${unsubscribeApiUrl(token)}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}

/** Puts a message in the outbox, in the caller's transaction: it is sent only if that commits. */
export async function enqueueEmail(tx: Tx, message: EmailMessage): Promise<void> {
  await tx.emailOutbox.create({
    data: { to: message.to, subject: message.subject, text: message.text, headers: message.headers },
  });
}
