import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/server/auth/auth-options";

const nextAuth = NextAuth(getAuthOptions()) as (request: Request, context: unknown) => Promise<Response>;

export { nextAuth as GET, nextAuth as POST };
