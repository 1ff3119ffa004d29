import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "artifacts/",
      "cache/",
      "types/",
      "coverage/",
      "app/.next*/",
      ".data/",
      ".custos/",
      "app/next-env.d.ts",
      "custos/generated/",
      "test-results/",
      ".node22/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: [".ci/**/*.mjs"],
    languageOptions: { globals: { console: "readonly", process: "readonly" } },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
