import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

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
  {
    // Dependency rules (docs/ARCHITECTURE.md): the pure core never reaches the adapters.
    files: ['src/kernel/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['../*', '!../kernel'], message: 'kernel imports nothing else from src/' }] }] },
  },
  {
    files: ['src/catalog/**/*.ts', 'src/mapping/**/*.ts', 'src/fhir/**/*.ts', 'src/validation/**/*.ts', 'src/intake/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['express', 'typeorm', 'pg', '@electric-sql/pglite', 'typeorm-pglite'],
        patterns: [{ group: ['**/store/*', '**/store', '**/api/*', '**/api', '**/relay/*', '**/app', '**/main'], message: 'the pure core does not import adapters' }],
      }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/store/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'typeorm', message: 'only src/store imports typeorm' }] }] },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.mjs'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
