/** Builds the renderer once before the end-to-end tests (only when dist/renderer is stale). */
import { ensureRendererBuilt } from '../../electron/hosts/web/build';

export default async function setup() {
  await ensureRendererBuilt(process.env.MERIDIAN_E2E_REBUILD ? 'always' : 'auto', (line) => console.log(`[e2e] ${line}`));
}
