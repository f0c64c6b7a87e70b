/** Workstations on real SQLite files in temporary folders, closed after the test file. */
import path from 'node:path';
import { afterAll } from 'vitest';
import { Workstation, type WorkstationOptions } from '../../electron/core/workstation';
import { tempDir } from './temp';

export { tempDir, writeFile } from './temp';

const stations: Workstation[] = [];

afterAll(async () => {
  for (const ws of stations) await ws.close();
});

export function tempWorkstation(options: WorkstationOptions = {}): Workstation {
  const ws = Workstation.open(path.join(tempDir(), 'meridian.sqlite'), options);
  stations.push(ws);
  return ws;
}
