#!/usr/bin/env node
/**
 * Publishes an electron-builder output folder to the update feed over HTTPS
 * (the release workflow's last step; see docs/releasing.md):
 *
 *   tsx server/updates/publish.ts --server https://meridian.example.com --channel stable [--staging 10] release/
 *   tsx server/updates/publish.ts --server … --channel stable --staging 50 --only-info release/   (widen a rollout)
 *
 * The token comes from MERIDIAN_UPDATES_TOKEN (never a command-line
 * argument). For every latest*.yml in the folder: its artifacts (and their
 * .blockmap files) are checked against the sha512 in the yml; every
 * installer in the folder is uploaded with its sha512 (the server verifies
 * it again), and the yml files go last, with stagingPercentage set when
 * --staging is given.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { SHA512_HEADER, feedFileKind, isValidChannel, referencedFiles } from './feed';
import { parseUpdateInfo, sha512OfFile } from './store';

export interface PublishPlan {
  artifacts: Array<{ file: string; sha512: string }>;
  updateInfo: Array<{ file: string; text: string }>;
}

/** Sets (or, with null, removes) stagingPercentage in update-info YAML, keeping everything else as written. */
export function withStaging(text: string, percent: number | null): string {
  const doc = parseDocument(text);
  if (percent === null) doc.delete('stagingPercentage');
  else doc.set('stagingPercentage', percent);
  return doc.toString();
}

export async function planRelease(dir: string, staging: number | null): Promise<PublishPlan> {
  const names = await fs.readdir(dir);
  const ymls = names.filter((n) => feedFileKind(n) === 'update-info');
  if (!ymls.length) throw new Error(`${dir} has no latest*.yml: build with electron-builder first.`);
  const artifacts = new Map<string, string>();
  const updateInfo: PublishPlan['updateInfo'] = [];
  for (const yml of ymls) {
    const text = await fs.readFile(path.join(dir, yml), 'utf8');
    const info = parseUpdateInfo(text);
    for (const ref of referencedFiles(info)) {
      const local = path.join(dir, ref.url);
      const actual = await sha512OfFile(local);
      if (actual !== ref.sha512) throw new Error(`${ref.url} does not match the sha512 in ${yml}; rebuild before publishing.`);
      artifacts.set(ref.url, actual);
      const blockmap = `${ref.url}.blockmap`;
      if (names.includes(blockmap)) artifacts.set(blockmap, await sha512OfFile(path.join(dir, blockmap)));
    }
    updateInfo.push({ file: yml, text: staging === null ? text : withStaging(text, staging) });
  }
  // First-install downloads (dmg, deb, …) that no update info lists go up too.
  for (const name of names) {
    if (feedFileKind(name) === 'artifact' && !artifacts.has(name)) artifacts.set(name, await sha512OfFile(path.join(dir, name)));
  }
  return { artifacts: [...artifacts].map(([file, sha512]) => ({ file, sha512 })), updateInfo };
}

async function put(url: string, token: string, body: Readable | string, sha512?: string): Promise<void> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' };
  if (sha512) headers[SHA512_HEADER] = sha512;
  const res = await fetch(url, { method: 'PUT', headers, body: typeof body === 'string' ? body : (Readable.toWeb(body) as ReadableStream), duplex: 'half' } as RequestInit);
  if (!res.ok) throw new Error(`PUT ${url}: HTTP ${res.status} ${await res.text()}`);
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { server: { type: 'string' }, channel: { type: 'string', default: 'stable' }, staging: { type: 'string' }, 'only-info': { type: 'boolean', default: false } },
  });
  const token = process.env.MERIDIAN_UPDATES_TOKEN;
  const dir = positionals[0];
  if (!values.server || !dir || !token) {
    console.error('usage: MERIDIAN_UPDATES_TOKEN=… tsx server/updates/publish.ts --server URL [--channel stable] [--staging 1-100] [--only-info] DIR');
    return 2;
  }
  if (!isValidChannel(values.channel)) throw new Error(`--channel "${values.channel}" must be lower-case letters, digits and dashes`);
  const staging = values.staging === undefined ? null : Number(values.staging);
  if (staging !== null && (!Number.isInteger(staging) || staging < 1 || staging > 100)) throw new Error('--staging must be a whole percentage from 1 to 100');
  const base = `${values.server.replace(/\/+$/, '')}/updates/${values.channel}`;
  const plan = await planRelease(dir, staging);
  if (!values['only-info']) {
    for (const a of plan.artifacts) {
      console.log(`uploading ${a.file}`);
      await put(`${base}/${encodeURIComponent(a.file)}`, token, createReadStream(path.join(dir, a.file)), a.sha512);
    }
  }
  for (const u of plan.updateInfo) {
    console.log(`publishing ${u.file}${staging === null ? '' : ` (staging ${staging} %)`}`);
    await put(`${base}/${u.file}`, token, u.text);
  }
  console.log(`Published to ${base}.`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]).endsWith(path.join('server', 'updates', 'publish.ts'))) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exitCode = 1;
    },
  );
}
