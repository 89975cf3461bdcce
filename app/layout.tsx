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
    <html lang="en">
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
