import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDocumentBySlug } from "@/lib/server/documents/get-document";
import { ReadingText } from "@/app/reading/reading-text";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const document = await getDocumentBySlug(slug);
  return { title: document ? document.title : "Not found" };
}

export default async function TextPage({ params }: Props) {
  const { slug } = await params;
  const document = await getDocumentBySlug(slug);
  if (!document) notFound();
  return (
    <div className="reading-layout">
      <article className="reading-column" aria-label={document.title}>
        <ReadingText content={document.content} />
      </article>
      <aside className="margin-column" aria-label="Margin">
        <p className="margin-placeholder">
          Highlights and margin threads appear here when you read this text in a seminar.
        </p>
      </aside>
    </div>
  );
}
