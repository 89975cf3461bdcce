import type { NextRequest } from "next/server";
import { unsubscribe } from "@/lib/server/notifications/unsubscribe";
import { errorResponse } from "../_lib/handler";

/**
 * Turns one kind of notification off for the person the signed token names
 * (`?token=`): the one-click POST of an email's List-Unsubscribe header
 * (RFC 8058) and the unsubscribe page's button. No session and no Origin
 * check, by design: mail clients send neither, and the token alone is the
 * authority; it can do nothing but this.
 */
export async function POST(request: NextRequest): Promise<Response> {
  try {
    const token = request.nextUrl.searchParams.get("token") ?? "";
    const target = await unsubscribe(token);
    return Response.json({ kind: target.kind, label: target.label });
  } catch (error) {
    return errorResponse(error);
  }
}
