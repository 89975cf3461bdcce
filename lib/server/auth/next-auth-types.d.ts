import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    /** Our UserSession id: revocable, and named in collab close events. */
    sid?: string;
    user: { id: string; name: string; email: string };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** Our user id. */
    uid?: string;
    /** Our UserSession id. */
    sid?: string;
  }
}
