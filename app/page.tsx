import Link from "next/link";
import { findDocuments } from "@/lib/server/documents/find-documents";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const documents = await findDocuments();
  return (
    <div className="page page-narrow">
      <section aria-labelledby="library-heading">
        <p className="eyebrow">Marginalia</p>
        <h1 id="library-heading" className="page-title">
          The library
        </h1>
        <p className="lede">Texts to read closely, together.</p>
        {documents.length === 0 ? (
          <p className="empty">No texts yet. Add a plain-text file to content/texts and run npm run seed.</p>
        ) : (
          <ul className="document-list">
            {documents.map((document) => (
              <li key={document.id} className="document-card">
                <h2 className="document-card-title">
                  <Link href={`/texts/${document.slug}`}>{document.title}</Link>
                </h2>
                <p className="document-card-byline">{document.byline}</p>
                <p className="document-card-source">{document.source}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
