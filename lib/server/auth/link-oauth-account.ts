import { db } from "../db";

/** Finds the user of an OAuth identity, or the user with its email, or creates one; links the identity. */
export async function linkOAuthAccount(input: {
  provider: string;
  providerAccountId: string;
  email: string;
  name: string;
}) {
  const email = input.email.trim().toLowerCase();
  return db.$transaction(async (tx) => {
    const linked = await tx.oAuthAccount.findUnique({
      where: {
        provider_providerAccountId: { provider: input.provider, providerAccountId: input.providerAccountId },
      },
      select: { user: { select: { id: true } } },
    });
    if (linked) return linked.user;
    const user =
      (await tx.user.findUnique({ where: { email }, select: { id: true } })) ??
      (await tx.user.create({ data: { email, name: input.name }, select: { id: true } }));
    await tx.oAuthAccount.create({
      data: { provider: input.provider, providerAccountId: input.providerAccountId, userId: user.id },
    });
    return user;
  });
}
