import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The client library's front doors (STYLE.md, "one front door"): app/, scripts/ and server/ reach
 * custos/ only through custos/index.ts, custos/backup/index.ts and custos/node.ts. The dApp names them
 * by alias (@custos, @custos/backup, @custos/node: app/tsconfig.json "paths"); scripts/ and server/ by
 * relative path. test/unit/frontDoor.test.ts proves both rules fire.
 */
const APP_DOORS = "@custos (custos/index.ts), @custos/backup (custos/backup/index.ts) or @custos/node (custos/node.ts)";
const NODE_DOORS = "custos/index.js, custos/backup/index.js or custos/node.js";
const frontDoorMessage = (doors) =>
  `Import the Custos library only through its front doors: ${doors}. Export what you need from there.`;
// Any relative path into custos/ (the dApp uses the aliases instead).
const INTO_LIBRARY = String.raw`^(\.{1,2}/)+custos(/|$)`;
// A relative path into custos/ that is not one of the three doors.
const PAST_THE_DOORS = String.raw`^(\.{1,2}/)+custos(/(?!(index|node|backup/index)(\.[jt]s)?$)|$)`;
// An alias deeper than the doors (@custos/state/...).
const ALIAS_PAST_THE_DOORS = String.raw`^@custos/(?!(backup|node)$)`;
// no-restricted-imports does not see import(): the same check for dynamic imports ("/" as \x2F for the selector).
const dynamicImport = (regex, doors) => ({
  selector: `ImportExpression[source.value=/${regex.replaceAll("/", String.raw`\x2F`)}/]`,
  message: frontDoorMessage(doors),
});
const frontDoor = (regexes, doors, moreSyntax = []) => ({
  "no-restricted-imports": [
    "error",
    { patterns: regexes.map((regex) => ({ regex, message: frontDoorMessage(doors) })) },
  ],
  // one entry per file set: a second no-restricted-syntax entry for the same files would replace this one
  "no-restricted-syntax": ["error", ...regexes.map((regex) => dynamicImport(regex, doors)), ...moreSyntax],
});

/**
 * Every button of the dApp is the Button primitive (app/src/components/ui), which carries the look and
 * type="button"; a bare <button> has neither. Button.tsx itself, which renders the one <button>, is exempt.
 */
const BUTTON_PRIMITIVE = "app/src/components/ui/Button.tsx";
const bareButton = {
  selector: "JSXOpeningElement[name.name='button']",
  message:
    'Use the Button primitive from @/components/ui instead of a bare <button>: it carries the dApp\'s button look and type="button".',
};

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
  {
    files: ["app/**"],
    ignores: [BUTTON_PRIMITIVE],
    rules: frontDoor([INTO_LIBRARY, ALIAS_PAST_THE_DOORS], APP_DOORS, [bareButton]),
  },
  { files: [BUTTON_PRIMITIVE], rules: frontDoor([INTO_LIBRARY, ALIAS_PAST_THE_DOORS], APP_DOORS) },
  { files: ["scripts/**", "server/**"], rules: frontDoor([PAST_THE_DOORS], NODE_DOORS) },
);
