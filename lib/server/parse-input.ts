import type { z } from "zod";
import { AppError } from "@/lib/shared/errors";

/** How {@link parseInput} words its refusal. */
export type ParseInputOptions = {
  /** Said when the failing check has no message of its own. */
  fallback?: string;
  /** Said instead of any check's message (a field whose only failure mode has one right answer). */
  message?: string;
  /** Prefixes the message with the failing field's path, or this word when the input as a whole failed. */
  namesField?: string;
  /** Adds `details.fields`: each failing field's path and message, for forms that mark fields. */
  withFields?: boolean;
};

/**
 * Parses untrusted input with a zod schema and returns the parsed data, or
 * throws invalid_input whose message is the first failing check's, so the
 * person who sent it reads what to fix.
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  options: ParseInputOptions = {},
): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const { issues } = parsed.error;
  const first = issues[0];
  const said = options.message ?? first?.message ?? options.fallback ?? "Check the form.";
  const message =
    options.namesField === undefined ? said : `${first?.path.join(".") || options.namesField}: ${said}`;
  const details = options.withFields
    ? { fields: Object.fromEntries(issues.map((issue) => [issue.path.join("."), issue.message])) }
    : undefined;
  throw new AppError("invalid_input", message, details);
}
