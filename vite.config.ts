/**
 * Builds the renderer (renderer/index.html → dist/renderer). The web host
 * runs this through Vite's JS API when dist/renderer is stale; Electron
 * loads the same output through its app:// protocol.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: path.join(root, 'renderer'),
  base: '/',
  plugins: [react()],
  publicDir: false,
  build: {
    outDir: path.join(root, 'dist', 'renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    chunkSizeWarningLimit: 3000,
    // The CSP has no 'unsafe-inline' for scripts: never inline a module or its preload polyfill.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rolldownOptions: {
      output: {
        // Stable, readable chunks: the grid and the charts load only with the screens that use them.
        codeSplitting: {
          groups: [
            { name: 'ag-grid', test: /node_modules[\\/]ag-grid-/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
          ],
        },
      },
    },
  },
  server: { host: '127.0.0.1', strictPort: false },
});
