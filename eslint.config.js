// Lint for correctness, and for the import directions that are the
// architecture (CONTRIBUTING.md, docs/adr/0001): lib/shared imports nothing of ours outside itself,
// app/ never imports server/, server/ never imports app/ or lib/client,
// lib/server never imports server/, and browser code never imports
// server-only code.
import path from "node:path";
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const restrict = (...patterns) => [
  "error",
  { patterns: patterns.map(([group, message]) => ({ group, message })) },
];

/** Where an import points, as a path from the repository root (null for a package). */
function importedPath(filename, source) {
  if (source.startsWith("@/")) return source.slice(2);
  if (!source.startsWith(".")) return null;
  return path
    .relative(import.meta.dirname, path.resolve(path.dirname(filename), source))
    .split(path.sep)
    .join("/");
}

/**
 * A "use client" module ships to the browser with everything it imports, so
 * it must not import lib/server, server/ or the `server-only` marker. A lint
 * rule rather than `import "server-only"` in lib/server: that package throws
 * when imported outside Next's react-server layer, and lib/server also runs
 * under tsx (the collab server, seeds, benches) and vitest. Type-only imports
 * are erased at compile time, so they are allowed.
 */
const clientBoundary = {
  meta: {
    type: "problem",
    schema: [],
    messages: {
      serverOnly:
        'A "use client" module runs in the browser: it must not import {{source}} (server-only code).',
    },
  },
  create(context) {
    let isClient = false;
    const check = (node, source) => {
      if (!isClient || typeof source !== "string" || node.importKind === "type" || node.exportKind === "type")
        return;
      const target = importedPath(context.filename, source);
      const isServerOnly =
        source === "server-only" || (target !== null && /^(lib\/server|server)(\/|$)/.test(target));
      if (isServerOnly) context.report({ node, messageId: "serverOnly", data: { source } });
    };
    return {
      Program(program) {
        isClient = program.body.some((statement) => statement.directive === "use client");
      },
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === "Literal" && check(node, node.source.value),
    };
  },
};

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".data/**",
      "lib/server/generated/**",
      "next-env.d.ts",
      "coverage/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      eqeqeq: ["error", "always", { null: "ignore" }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "no-console": "off",
    },
  },
  {
    files: ["app/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}"],
    plugins: { marginalia: { rules: { "client-boundary": clientBoundary } } },
    rules: { "marginalia/client-boundary": "error" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ["app/**/*.{ts,tsx}", "lib/client/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
    },
  },
  {
    files: ["lib/shared/**"],
    rules: {
      "no-restricted-imports": restrict([
        [
          "@/app/*",
          "@/server/*",
          "@/lib/server/*",
          "@/lib/client/*",
          "**/app/**",
          "**/server/**",
          "**/lib/client/**",
        ],
        "lib/shared is isomorphic: it imports nothing of ours outside itself.",
      ]),
    },
  },
  {
    files: ["app/**"],
    rules: {
      "no-restricted-imports": restrict(
        [
          ["@/server/*", "**/server/**", "!**/lib/server/**"],
          "app/ never imports the collab server (server/).",
        ],
        [
          ["**/generated/prisma/*", "**/lib/server/db"],
          "app/ holds no Prisma calls: call a lib/server function.",
        ],
      ),
    },
  },
  {
    files: ["server/**"],
    rules: {
      "no-restricted-imports": restrict([
        ["@/app/*", "**/app/**", "@/lib/client/*", "**/lib/client/**"],
        "server/ never imports app/ or lib/client.",
      ]),
    },
  },
  {
    files: ["lib/client/**"],
    rules: {
      "no-restricted-imports": restrict([
        ["@/server/*", "@/lib/server/*", "**/server/**"],
        "lib/client runs in the browser: no server-only code.",
      ]),
    },
  },
  {
    files: ["lib/server/**"],
    rules: {
      "no-restricted-imports": restrict(
        [
          ["@/app/*", "**/app/**", "@/lib/client/*", "**/lib/client/**"],
          "lib/server never imports app/ or lib/client.",
        ],
        [
          ["@/server/*", "**/server/**", "!**/lib/server/**"],
          "lib/server never imports the collab server (server/): the collab server imports lib/server.",
        ],
      ),
    },
  },
);
