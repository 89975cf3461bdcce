import Link from "next/link";

/** The thin bar above every page. */
export function SiteHeader() {
  return (
    <header className="site-header">
      <Link href="/" className="wordmark" aria-label="Marginalia, home">
        <span aria-hidden="true" className="wordmark-mark">
          ¶
        </span>
        Marginalia
      </Link>
      <nav aria-label="Main" className="site-nav">
        <Link href="/">Library</Link>
      </nav>
    </header>
  );
}
