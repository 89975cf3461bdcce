import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import "@fontsource-variable/source-serif-4/opsz.css";
import "@fontsource-variable/source-serif-4/opsz-italic.css";
import "@fontsource-variable/inter/index.css";
import "./globals.css";
import { SiteHeader } from "./site-header";

export const metadata: Metadata = {
  title: { default: "Marginalia", template: "%s · Marginalia" },
  description: "Read a text together: highlights, margin threads and guiding questions, live.",
};

export const viewport: Viewport = {
  themeColor: "#fbf9f4",
  width: "device-width",
  initialScale: 1,
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: Next puts the Content-Security-Policy
  // nonce (proxy.ts) on its scripts only while rendering one, and a page
  // prerendered at build time would carry none and never hydrate.
  await connection();
  return (
    // data-scroll-behavior: Next sets scrolling instant while it scrolls a new page into
    // place after a link is followed. Without it our smooth scrolling (globals.css) let the
    // first of Next's scrollIntoView calls (the reading layout, below the reading bar, kept
    // 5rem from the top by scroll-padding-top) run as an animation that the later calls, to
    // the page's top, could not stop: pages reached by a link arrived 17 px down, the
    // reading bar cut by the sticky header (tests/browser/reading-polish.test.ts).
    <html lang="en" data-scroll-behavior="smooth">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
