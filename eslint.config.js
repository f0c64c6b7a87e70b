// ESLint flat config. The per-folder import rules are DESIGN §1's table;
// tests/lint/boundaries.test.ts proves each one fires.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { LAYER_RULES } from './tests/lint/layers.js';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'url', 'util', 'stream', 'worker_threads', 'zlib', 'events', 'buffer', 'process'];

/** Builds a no-restricted-imports rule: forbidden package names and relative paths into other layers. */
function restrict({ packages = [], layers = [], message }) {
  const patterns = [];
  if (packages.length) patterns.push({ group: packages, message });
  if (layers.length) {
    patterns.push({
      regex: `^(\\.{1,2}/)+(\\.\\./)*(${layers.join('|')})(/|$)`,
      message,
    });
  }
  return ['error', { patterns }];
}

const layerConfigs = LAYER_RULES.map(({ files, packages, layers, message }) => ({
  files,
  rules: { 'no-restricted-imports': restrict({ packages: packages.flatMap((p) => (p === '@node' ? NODE_BUILTINS : [p])), layers, message }) },
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'out/**', 'bench/results/**', 'tests/lint/fixtures/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  ...layerConfigs,
);
