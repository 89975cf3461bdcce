"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { ApiError, apiRequest } from "@/lib/client/api";
import { formText } from "@/lib/client/forms";

type Props = { callbackUrl: string; minPasswordLength: number };

/** Creates the account through our API, then signs in with the same credentials. */
export function SignUpForm({ callbackUrl, minPasswordLength }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [isPending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values = {
      name: formText(form, "name"),
      email: formText(form, "email"),
      password: formText(form, "password"),
    };
    setPending(true);
    setError(null);
    setFieldErrors({});
    try {
      await apiRequest("POST", "/api/users", values);
    } catch (failure) {
      setPending(false);
      if (failure instanceof ApiError) {
        setError(failure.message);
        const fields = failure.details?.fields;
        if (fields && typeof fields === "object") setFieldErrors(fields as Record<string, string>);
      } else setError("Could not create the account. Try again.");
      return;
    }
    const result = await signIn("credentials", {
      email: values.email,
      password: values.password,
      redirect: false,
    });
    if (!result || result.error) {
      setPending(false);
      setError("Your account was created, but signing in failed. Try signing in.");
      return;
    }
    window.location.assign(callbackUrl);
  }

  return (
    <form className="form" onSubmit={(event) => void onSubmit(event)}>
      <div className="field">
        <label htmlFor="name">Name</label>
        <input
          id="name"
          name="name"
          autoComplete="name"
          required
          maxLength={80}
          aria-describedby="name-error"
        />
        <span id="name-error" className="field-error">
          {fieldErrors.name}
        </span>
      </div>
      <div className="field">
        <label htmlFor="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          aria-describedby="email-error"
        />
        <span id="email-error" className="field-error">
          {fieldErrors.email}
        </span>
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={minPasswordLength}
          aria-describedby="password-hint"
        />
        <span id="password-hint" className="field-hint">
          {fieldErrors.password ?? `At least ${minPasswordLength} characters.`}
        </span>
      </div>
      <p className="form-error" role="alert" aria-live="assertive">
        {error}
      </p>
      <button type="submit" className="button button-primary button-block" disabled={isPending}>
        {isPending ? "Creating your account…" : "Create account"}
      </button>
    </form>
  );
}
