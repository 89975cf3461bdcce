"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

/** Signs out through next-auth (which revokes the session on the server) and goes home. */
export function SignOutButton() {
  const [isPending, setPending] = useState(false);
  return (
    <button
      type="button"
      className="button button-primary button-block"
      disabled={isPending}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: "/" });
      }}
    >
      {isPending ? "Signing out…" : "Sign out"}
    </button>
  );
}
