import { hash, verify } from "@node-rs/argon2";

/**
 * argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane):
 * memory-hard, so guessing on GPUs is expensive.
 */
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password for storage. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Checks a password against a stored hash; false for a malformed hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;

/**
 * Spends the time of one verification for an unknown email, so response
 * times do not reveal which emails have accounts.
 */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummy ??= hashPassword("marginalia-dummy-password");
  await verifyPassword(await dummy, password);
}
