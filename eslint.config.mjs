import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';
import globals from 'globals';

const DB_DRIVERS = ['typeorm', 'pg', '@electric-sql/pglite', 'typeorm-pglite'].map((name) => ({ name, message: 'only src/store talks to the database' }));

export default tseslint.config(
  { ignores: ['dist/**', 'generated/**', 'node_modules/**', 'data/**', 'coverage/**', 'profiles/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: {
      'import/no-cycle': ['error', { maxDepth: Infinity }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  // Dependency rules (docs/ARCHITECTURE.md). In flat config the last matching block wins per rule,
  // so the general rule comes first and the stricter folders repeat what they inherit.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/store/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: DB_DRIVERS }] },
  },
  {
    files: ['src/kernel/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: DB_DRIVERS, patterns: [{ group: ['../*'], message: 'kernel imports nothing else from src/' }] }] },
  },
  {
    files: ['src/catalog/**/*.ts', 'src/mapping/**/*.ts', 'src/fhir/**/*.ts', 'src/validation/**/*.ts', 'src/intake/**/*.ts', 'src/growth/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...DB_DRIVERS, { name: 'express', message: 'the pure core does not know HTTP' }],
        patterns: [{ group: ['**/store/*', '**/store', '**/api/*', '**/api', '**/relay/*', '**/pipeline/*', '**/app', '**/main'], message: 'the pure core does not import adapters or use cases' }],
      }],
    },
  },
  {
    // The console's browser script (src/console/assets), served as is.
    files: ['src/console/assets/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs', '*.js', '*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Preloaded or spawned by bench/ingest.bench.mjs as plain CommonJS processes.
    files: ['bench/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.mjs'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
