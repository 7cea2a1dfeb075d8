// ESLint: typescript-eslint's recommended rules on every TypeScript file we write, the
// recommended JavaScript rules on our few CommonJS files. Formatting is prettier's
// (.prettierrc.json); nothing here overlaps it.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "bin/", "out/", ".tools/", ".state/", ".cluster/", ".server/", ".pulumi-home/", "scratch/", "tools/", "policy/bin/"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    // `const { a: _, ...rest } = x` is how a key is dropped.
    { rules: { "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }] } },
    {
        files: ["**/*.js"],
        languageOptions: { sourceType: "commonjs", globals: globals.node },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        // Tests read untyped JSON and YAML (API objects, configs, Pulumi's wire format), and chai
        // asserts with property accesses (`.to.be.empty`).
        files: ["test/**/*.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-unused-expressions": "off" },
    },
);
