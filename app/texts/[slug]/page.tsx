import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getCurrentUser } from "@/lib/server/auth/get-current-user";
import { getDocumentBySlug } from "@/lib/server/documents/get-document";
import { ReadingText } from "@/app/reading/reading-text";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

async function load(slug: string) {
  const user = await getCurrentUser();
  return getDocumentBySlug(user ? { userId: user.id } : null, slug);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const document = await load((await params).slug);
  return { title: document ? document.title : "Not found" };
}

export default async function TextPage({ params }: Props) {
  const document = await load((await params).slug);
  if (!document) notFound();
  return (
    <div className="reading-layout">
      <article className="reading-column" aria-label={document.title}>
        <ReadingText content={document.content} />
      </article>
      <aside className="margin-column" aria-label="Margin">
        <p className="margin-placeholder">
          This is the library copy. Highlights and margin threads live in seminars: open this text from one of
          your seminar’s readings to annotate it together.
        </p>
      </aside>
    </div>
  );
}
