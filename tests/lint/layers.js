// DESIGN §1: which folder may import what. Used by eslint.config.js and by
// tests/lint/boundaries.test.ts. '@node' stands for every Node built-in.
// Layers are top-level folders reached by relative imports.
export const LAYER_RULES = [
  {
    files: ['shared/**/*.ts'],
    packages: ['@node', 'electron', 'better-sqlite3', 'pg', '@electric-sql/*', 'fastify', '@fastify/*', 'react', 'react-dom', 'pdfkit', 'echarts', 'ws', 'pino'],
    layers: ['db', 'electron', 'server', 'renderer'],
    message: 'shared/ is pure TypeScript that runs anywhere: it may import only zod, kysely (query building), uuid and other shared/ modules (DESIGN §1).',
  },
  {
    files: ['db/**/*.ts'],
    packages: ['electron', 'fastify', '@fastify/*', 'react', 'react-dom', 'pdfkit', 'echarts'],
    layers: ['electron', 'server', 'renderer'],
    message: 'db/ may import shared/, kysely, better-sqlite3, pg and PGlite only (DESIGN §1).',
  },
  {
    files: ['electron/core/**/*.ts'],
    packages: ['electron', 'fastify', '@fastify/*', 'react', 'react-dom'],
    layers: ['server', 'renderer', 'main', 'preload', 'hosts'],
    message: 'electron/core is plain Node: shared/, db/, Node built-ins and PDF/CSV/keychain libraries, never electron, the server or the renderer (DESIGN §1).',
  },
  {
    files: ['electron/hosts/**/*.ts'],
    packages: ['electron', 'react', 'react-dom'],
    layers: ['renderer', 'main', 'preload'],
    message: 'electron/hosts/* may import electron/core, shared/ and db/ (DESIGN §1).',
  },
  {
    files: ['electron/preload/**/*.ts'],
    packages: ['@node', 'better-sqlite3', 'pg', '@electric-sql/*', 'fastify', '@fastify/*', 'react', 'react-dom'],
    layers: ['db', 'server', 'renderer', 'core', 'hosts', 'main'],
    message: 'electron/preload may import shared/ types and electron (contextBridge, ipcRenderer) only (DESIGN §1).',
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    packages: ['@node', 'electron', 'better-sqlite3', 'pg', '@electric-sql/*', 'fastify', '@fastify/*', 'pdfkit', 'kysely'],
    layers: ['db', 'electron', 'server'],
    message: 'renderer/ knows only shared/ and window.meridian (DESIGN §1).',
  },
  {
    files: ['server/**/*.ts'],
    packages: ['electron', 'react', 'react-dom', 'better-sqlite3'],
    layers: ['electron', 'renderer'],
    message: 'server/ may import shared/, db/, Node, Fastify and its plugins (DESIGN §1).',
  },
];
