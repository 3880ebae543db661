// ESLint (flat config): @eslint/js recommended + typescript-eslint's type-checked recommended rules,
// Prettier's config last (formatting is Prettier's: `npm run lint` runs both, with no warning allowed).
//
// typescript-eslint 8 loads the TypeScript 6 API (package.json's `typescript`, the official
// @typescript/typescript6 side-by-side package): TypeScript 7, which `tsc` runs, has no JavaScript API.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    // Build output, coverage, drizzle-kit's migrations, and what .gitignore lists (ESLint does not read it).
    ignores: ['dist/', 'coverage/', 'src/store/migrations/', '.caio/', '.tmp/', 'test-output/'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // src/ and bench/: tsconfig.json; test/: test/tsconfig.json (tsconfig.test.json's project); the
        // root's config files are in no tsconfig.json and get tsconfig.test.json's options.
        projectService: {
          allowDefaultProject: ['vitest.config.ts', 'drizzle.config.ts'],
          defaultProject: 'tsconfig.test.json',
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Relaxed: a name starting with _ is unused on purpose (a rest pattern's omitted key, a parameter kept for its position).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Off: an async function implementing a Promise-returning port (fakes, job runs, sleeps) is async on purpose, so that a throw is a rejection.
      '@typescript-eslint/require-await': 'off',
      // Relaxed: a caught error (unknown) may be passed on as it came, as only-throw-error allows for `throw`.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Relaxed: `{}` is what `value ?? ''` leaves of an unknown (JSON bodies, metrics records); it is left to String() like unknown itself (checkUnknown is off by default).
      '@typescript-eslint/no-base-to-string': ['error', { ignoredTypeNames: ['Error', 'RegExp', 'URL', 'URLSearchParams', '{}'] }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Off in tests: vitest types its asymmetric matchers (expect.any, expect.stringContaining...) `any`, so every expected object using one is flagged.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    // Plain JavaScript (test helpers run as separate Node processes, this file): no type information.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  prettier,
);
