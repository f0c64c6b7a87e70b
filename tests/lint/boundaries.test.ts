// Proves the DESIGN §1 import rules fire: each forbidden import, linted as if
// it sat in the named folder, must be reported by no-restricted-imports, and
// each allowed one must not be.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const forbidden: [string, string][] = [
  ['shared/mutators/x.ts', "import fs from 'node:fs';"],
  ['shared/x.ts', "import path from 'path';"],
  ['shared/x.ts', "import Database from 'better-sqlite3';"],
  ['shared/x.ts', "import { openSqlite } from '../db/sqlite/open';"],
  ['shared/finance/x.ts', "import { x } from '../../electron/core/workstation';"],
  ['shared/x.ts', "import { app } from 'electron';"],
  ['db/sqlite/x.ts', "import { Workstation } from '../../electron/core/workstation';"],
  ['db/x.ts', "import { buildServer } from '../server/app';"],
  ['electron/core/x.ts', "import { app } from 'electron';"],
  ['electron/core/x.ts', "import { buildServer } from '../../server/app';"],
  ['electron/core/imports/x.ts', "import { main } from '../../main/index';"],
  ['electron/hosts/cli/x.ts', "import { ipcMain } from 'electron';"],
  ['electron/preload/x.ts', "import fs from 'node:fs';"],
  ['electron/preload/x.ts', "import { Workstation } from '../core/workstation';"],
  ['renderer/src/x.tsx', "import fs from 'node:fs';"],
  ['renderer/src/x.tsx', "import { openSqlite } from '../../db/sqlite/open';"],
  ['renderer/src/x.tsx', "import { ipcRenderer } from 'electron';"],
  ['server/x.ts', "import { app } from 'electron';"],
  ['server/x.ts', "import { Workstation } from '../electron/core/workstation';"],
];

const allowed: [string, string][] = [
  ['shared/mutators/x.ts', "import { z } from 'zod';"],
  ['shared/mutators/x.ts', "import { sql } from 'kysely';"],
  ['shared/mutators/x.ts', "import { formatCents } from '../money';"],
  ['db/sqlite/x.ts', "import Database from 'better-sqlite3';"],
  ['db/sqlite/x.ts', "import type { SyncedTables } from '../../shared/domain/tables';"],
  ['electron/core/x.ts', "import fs from 'node:fs';"],
  ['electron/core/x.ts', "import { openSqlite } from '../../db/sqlite/open';"],
  ['electron/hosts/cli/x.ts', "import { Workstation } from '../../core/workstation';"],
  ['electron/main/x.ts', "import { app } from 'electron';"],
  ['server/x.ts', "import { formatCents } from '../shared/money';"],
  ['renderer/src/x.tsx', "import { formatCents } from '../../shared/money';"],
];

describe('DESIGN §1 import boundaries', () => {
  it.each(forbidden)('%s: %s is refused', async (file, code) => {
    const messages = await restricted(file, code);
    expect(messages.length, `${file} should refuse ${code}`).toBeGreaterThan(0);
    expect(messages[0]).toMatch(/DESIGN §1/);
  });

  it.each(allowed)('%s: %s is allowed', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});
