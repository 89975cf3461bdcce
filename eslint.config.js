// Lint for correctness, and for the import directions that are the
// architecture (CONTRIBUTING.md, docs/adr/0001): lib/shared imports nothing of ours outside itself,
// app/ never imports server/, server/ never imports app/ or lib/client, and
// browser code never imports server-only code.
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const restrict = (...patterns) => [
  "error",
  { patterns: patterns.map(([group, message]) => ({ group, message })) },
];

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
      "no-restricted-imports": restrict([
        ["@/app/*", "**/app/**", "@/lib/client/*", "**/lib/client/**"],
        "lib/server never imports app/ or lib/client.",
      ]),
    },
  },
);
