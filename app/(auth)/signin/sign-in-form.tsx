"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { formText } from "@/lib/client/forms";

type Props = {
  callbackUrl: string;
  initialError: string | null;
  providers: { id: string; name: string }[];
};

/** Email and password, through next-auth's Credentials provider; plus any OAuth providers. */
export function SignInForm({ callbackUrl, initialError, providers }: Props) {
  const [error, setError] = useState<string | null>(initialError);
  const [isPending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: formText(form, "email"),
      password: formText(form, "password"),
      redirect: false,
    });
    if (!result || result.error) {
      setPending(false);
      setError(
        result?.error && result.error !== "CredentialsSignin"
          ? result.error
          : "Could not sign you in. Try again.",
      );
      return;
    }
    window.location.assign(callbackUrl);
  }

  return (
    <>
      <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate={false}>
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="email" required />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        <p className="form-error" role="alert" aria-live="assertive">
          {error}
        </p>
        <button type="submit" className="button button-primary button-block" disabled={isPending}>
          {isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {providers.length > 0 && (
        <div className="oauth">
          <p className="oauth-divider">
            <span>or</span>
          </p>
          {providers.map((provider) => (
            <button
              key={provider.id}
              type="button"
              className="button button-block"
              onClick={() => void signIn(provider.id, { callbackUrl })}
            >
              Continue with {provider.name}
            </button>
          ))}
        </div>
      )}
    </>
  );
}
