import type { Metadata } from "next";
import { getUnsubscribeTarget } from "@/lib/server/notifications/unsubscribe";
import { isAppError } from "@/lib/shared/errors";
import { UnsubscribeButton } from "./unsubscribe-button";

export const metadata: Metadata = { title: "Unsubscribe" };
export const dynamic = "force-dynamic";

/**
 * An email's unsubscribe link lands here, signed in or not. Opening the page
 * changes nothing (link scanners open links); its one button does.
 */
export default async function UnsubscribePage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  const token = (await searchParams).token ?? "";
  let label: string | null = null;
  let problem: string | null = null;
  try {
    label = (await getUnsubscribeTarget(token)).label;
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="page page-narrow">
      <p className="eyebrow">Email notifications</p>
      <h1 className="page-title">Unsubscribe</h1>
      {label ? (
        <>
          <p className="lede">Stop all notifications for “{label}”? Other kinds stay as they are.</p>
          <UnsubscribeButton token={token} label={label} />
        </>
      ) : (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
