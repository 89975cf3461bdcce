/**
 * Asks the collab server whether a new connection of this browser would be
 * admitted now (GET /collab/admission). A browser cannot read the HTTP status
 * of a refused websocket upgrade (it only sees close code 1006), so after a
 * socket fails before opening, this tells a refusal for load (429, 503 with
 * Retry-After) apart from everything else.
 */
import { COLLAB_ADMISSION_PATH } from "@/lib/shared/urls";

/** The server's verdict; `retryAfterMs` from its Retry-After. */
export type AdmissionVerdict =
  { isAdmitted: true } | { isAdmitted: false; status: 429 | 503; retryAfterMs: number };

/** The verdict, or null when the server gave none (unreachable, or another answer). */
export async function askAdmission(): Promise<AdmissionVerdict | null> {
  let response: Response;
  try {
    response = await fetch(COLLAB_ADMISSION_PATH, { cache: "no-store", credentials: "same-origin" });
  } catch {
    return null;
  }
  if (response.status === 200) return { isAdmitted: true };
  if (response.status !== 429 && response.status !== 503) return null;
  const seconds = Number(response.headers.get("retry-after"));
  return {
    isAdmitted: false,
    status: response.status,
    retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 5000,
  };
}
