import { joinSeminar } from "@/lib/server/seminars/join-seminar";
import { handler, readJson } from "../_lib/handler";

/** Joins the seminar of an invite code. */
export const POST = handler(async ({ request, actor }) => joinSeminar(actor, await readJson(request)));
