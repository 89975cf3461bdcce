import { createUser } from "@/lib/server/users/create-user";
import { handler, readJson } from "../_lib/handler";

/** Sign up: creates an account; the client then signs in through next-auth. */
export const POST = handler(async ({ request }) => ({ user: await createUser(await readJson(request)) }), {
  status: 201,
});
