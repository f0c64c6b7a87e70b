/**
 * The update feed (server/updates) on a minimal Fastify instance: what it
 * serves is what electron-updater will verify (sha512 of the served file ==
 * the served yml's sha512), staged rollouts are honoured with electron-
 * updater's own rule, uploads are verified, and nothing outside the feed is
 * reachable.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { anyAuthorizer, bearerTokenAuthorizer, registerUpdateFeed } from '../../server/updates';
import { parseRange, stagingBucket, stagingDecision } from '../../server/updates/feed';
import { planRelease, withStaging } from '../../server/updates/publish';
import type { App } from '../../server/deps';
import { tempDir } from '../helpers/temp';

const TOKEN = 'test-upload-token-0123456789abcdef0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const sha512 = (b: Buffer | string) => createHash('sha512').update(b).digest('base64');

function artifact(version: string): Buffer {
  return Buffer.from(`MZ fake installer ${version} `.repeat(5000));
}

function latestYml(version: string, file: string, body: Buffer, staging?: number): string {
  return [
    `version: ${version}`,
    'files:',
    `  - url: ${file}`,
    `    sha512: ${sha512(body)}`,
    `    size: ${body.length}`,
    `path: ${file}`,
    `sha512: ${sha512(body)}`,
    `releaseDate: '2026-11-20T10:00:00.000Z'`,
    ...(staging === undefined ? [] : [`stagingPercentage: ${staging}`]),
    '',
  ].join('\n');
}

/** A staging id whose bucket (UUID bytes 12..15 / 0xffffffff) is `fraction`. */
function idAt(fraction: number): string {
  const tail = Math.floor(fraction * 0xffffffff)
    .toString(16)
    .padStart(8, '0');
  return `6f1e2d3c-4b5a-4978-8a6b-5c4d${tail}`;
}

let app: FastifyInstance;
let root: string;

async function put(file: string, body: Buffer | string, headers: Record<string, string> = {}, channel = 'stable') {
  return app.inject({ method: 'PUT', url: `/updates/${channel}/${file}`, payload: body, headers: { ...auth, 'content-type': 'application/octet-stream', ...headers } });
}

async function publishRelease(version: string, staging?: number) {
  const file = `Meridian-Setup-${version}.exe`;
  const body = artifact(version);
  const a = await put(file, body, { 'x-checksum-sha512': sha512(body) });
  expect(a.statusCode, a.body).toBe(201);
  const y = await put('latest.yml', latestYml(version, file, body, staging));
  expect(y.statusCode, y.body).toBe(201);
  return { file, body };
}

beforeAll(async () => {
  root = tempDir('meridian-feed-');
  app = Fastify();
  await registerUpdateFeed(app, { root, authorizeUpload: bearerTokenAuthorizer(TOKEN), maxUploadBytes: 10 * 1024 * 1024 });
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

describe('update feed: serving a release', () => {
  it('serves latest.yml whose sha512 and size match the artifact it serves', async () => {
    await publishRelease('1.0.0');
    const yml = await app.inject({ method: 'GET', url: '/updates/stable/latest.yml', headers: { 'x-user-staging-id': randomUUID() } });
    expect(yml.statusCode).toBe(200);
    expect(yml.headers['content-type']).toMatch(/yaml/);
    expect(yml.headers['cache-control']).toBe('no-store');
    const info = parseYaml(yml.body) as { version: string; path: string; sha512: string; files: Array<{ url: string; sha512: string; size: number }> };
    expect(info.version).toBe('1.0.0');
    for (const f of info.files) {
      const bin = await app.inject({ method: 'GET', url: `/updates/stable/${f.url}` });
      expect(bin.statusCode).toBe(200);
      expect(sha512(bin.rawPayload)).toBe(f.sha512);
      expect(bin.rawPayload.length).toBe(f.size);
      expect(Number(bin.headers['content-length'])).toBe(f.size);
      expect(bin.headers['accept-ranges']).toBe('bytes');
    }
    const legacy = await app.inject({ method: 'GET', url: `/updates/stable/${info.path}` });
    expect(sha512(legacy.rawPayload)).toBe(info.sha512);
  });

  it('answers single byte ranges (differential downloads)', async () => {
    const full = artifact('1.0.0');
    const r = await app.inject({ method: 'GET', url: '/updates/stable/Meridian-Setup-1.0.0.exe', headers: { range: 'bytes=100-199' } });
    expect(r.statusCode).toBe(206);
    expect(r.headers['content-range']).toBe(`bytes 100-199/${full.length}`);
    expect(r.rawPayload.equals(full.subarray(100, 200))).toBe(true);
    const bad = await app.inject({ method: 'GET', url: '/updates/stable/Meridian-Setup-1.0.0.exe', headers: { range: `bytes=${full.length + 5}-` } });
    expect(bad.statusCode).toBe(416);
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
  });

  it('404s for files that are not there', async () => {
    expect((await app.inject({ method: 'GET', url: '/updates/stable/latest-mac.yml' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/updates/beta/latest.yml' })).statusCode).toBe(404);
  });
});

describe('update feed: path traversal and odd names', () => {
  it('refuses anything outside the channel folders', async () => {
    fs.writeFileSync(path.join(root, 'secret.txt'), 'top secret');
    fs.mkdirSync(path.join(root, 'stable', '.previous'), { recursive: true });
    for (const url of [
      '/updates/stable/..%2Fsecret.txt',
      '/updates/stable/..%2f..%2fetc%2fpasswd',
      '/updates/..%2F/secret.txt',
      '/updates/stable/%2e%2e%2fsecret.txt',
      '/updates/stable/..%5Csecret.txt',
      '/updates/stable/.previous',
      '/updates/stable/.uploads',
      '/updates/stable/secret.txt',
      '/updates/STABLE/latest.yml',
      '/updates/stable/latest.yml%00.exe',
      '/updates/stable/..',
      '/updates/../secret.txt',
      '/updates/stable/../../secret.txt',
    ]) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(r.body, url).not.toContain('top secret');
    }
  });

  it('does not follow a symlink out of the feed', async () => {
    const link = path.join(root, 'stable', 'Meridian-Setup-9.9.9.exe');
    fs.symlinkSync(path.join(root, 'secret.txt'), link);
    const r = await app.inject({ method: 'GET', url: '/updates/stable/Meridian-Setup-9.9.9.exe' });
    expect(r.statusCode).toBe(404);
    fs.rmSync(link);
  });

  it('refuses uploads to names outside the feed', async () => {
    for (const file of ['..%2Fevil.exe', '.hidden.exe', 'evil.sh', 'latest.yml.exe%2F..']) {
      const r = await put(file, 'x', { 'x-checksum-sha512': sha512('x') });
      expect(r.statusCode, file).toBeGreaterThanOrEqual(400);
    }
    expect(fs.existsSync(path.join(root, 'evil.exe'))).toBe(false);
  });
});

describe('update feed: publishing', () => {
  it('needs the upload token', async () => {
    const r = await app.inject({ method: 'PUT', url: '/updates/stable/x-1.exe', payload: 'x', headers: { 'content-type': 'application/octet-stream' } });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect((await put('x-1.exe', 'x', { authorization: 'Bearer wrong', 'x-checksum-sha512': sha512('x') })).statusCode).toBe(401);
  });

  it('verifies the declared sha512 and publishes nothing on a mismatch', async () => {
    const body = artifact('2.0.0');
    const r = await put('Meridian-Setup-2.0.0.exe', body, { 'x-checksum-sha512': sha512('something else') });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toMatch(/sha512 mismatch/);
    expect((await app.inject({ method: 'GET', url: '/updates/stable/Meridian-Setup-2.0.0.exe' })).statusCode).toBe(404);
    expect((await put('Meridian-Setup-2.0.0.exe', body)).statusCode).toBe(400); // no declared sha512
  });

  it('keeps released artifacts immutable; the same bytes again are a no-op', async () => {
    const body = artifact('1.0.0');
    expect((await put('Meridian-Setup-1.0.0.exe', body, { 'x-checksum-sha512': sha512(body) })).statusCode).toBe(200);
    const other = Buffer.from('tampered');
    expect((await put('Meridian-Setup-1.0.0.exe', other, { 'x-checksum-sha512': sha512(other) })).statusCode).toBe(409);
  });

  it('refuses update info that points at a missing or different artifact', async () => {
    const body = artifact('3.0.0');
    expect((await put('latest.yml', latestYml('3.0.0', 'Meridian-Setup-3.0.0.exe', body))).statusCode).toBe(409);
    expect((await put('latest.yml', latestYml('3.0.0', 'Meridian-Setup-1.0.0.exe', body))).statusCode).toBe(409);
    expect((await put('latest.yml', 'version: [')).statusCode).toBe(400);
    expect((await put('latest.yml', 'version: 1.0.0\nfiles: []\n')).statusCode).toBe(400);
    const served = parseYaml((await app.inject({ method: 'GET', url: '/updates/stable/latest.yml' })).body) as { version: string };
    expect(served.version).toBe('1.0.0');
  });

  it('refuses uploads over the size limit', async () => {
    const big = Buffer.alloc(11 * 1024 * 1024, 1);
    expect((await put('Meridian-Setup-big.exe', big, { 'x-checksum-sha512': sha512(big) })).statusCode).toBe(413);
  });
});

describe('update feed: staged rollouts', () => {
  it('computes the staging bucket exactly as electron-updater does', async () => {
    const { UUID } = createRequire(import.meta.url)('builder-util-runtime') as { UUID: { parse(id: string): Buffer } };
    for (let i = 0; i < 200; i++) {
      const id = randomUUID();
      expect(stagingBucket(id)).toBeCloseTo(UUID.parse(id).readUInt32BE(12) / 0xffffffff, 12);
    }
    expect(stagingBucket('not-a-uuid')).toBeNull();
    expect(stagingBucket(undefined)).toBeNull();
  });

  it("agrees with electron-updater's own isStagingMatch for every client", async () => {
    const require = createRequire(import.meta.url);
    const { AppUpdater } = require('electron-updater/out/AppUpdater') as { AppUpdater: new (o: null, app: unknown) => { logger: unknown; isStagingMatch(info: unknown): Promise<boolean> } };
    for (const percent of [1, 10, 33, 50, 99]) {
      for (let i = 0; i < 20; i++) {
        const id = randomUUID();
        const dir = tempDir('meridian-updater-id-');
        fs.writeFileSync(path.join(dir, '.updaterId'), id);
        const updater = new AppUpdater(null, { version: '1.0.0', name: 'Meridian', userDataPath: dir, baseCachePath: dir, isPackaged: true, appUpdateConfigPath: path.join(dir, 'app-update.yml'), whenReady: () => Promise.resolve(), relaunch() {}, quit() {}, onQuit() {} });
        updater.logger = null;
        const clientSays = await updater.isStagingMatch({ stagingPercentage: percent });
        expect(stagingDecision({ stagingPercentage: percent }, id).serve === 'current', `${percent}% ${id}`).toBe(clientSays);
      }
    }
  });

  it('serves a staged release only to clients inside the percentage, the previous one to the rest', async () => {
    await publishRelease('1.1.0', 25);
    const versionFor = async (headers: Record<string, string>) => (parseYaml((await app.inject({ method: 'GET', url: '/updates/stable/latest.yml', headers })).body) as { version: string }).version;
    expect(await versionFor({ 'x-user-staging-id': idAt(0.05) })).toBe('1.1.0');
    expect(await versionFor({ 'x-user-staging-id': idAt(0.249) })).toBe('1.1.0');
    expect(await versionFor({ 'x-user-staging-id': idAt(0.26) })).toBe('1.0.0');
    expect(await versionFor({ 'x-user-staging-id': idAt(0.99) })).toBe('1.0.0');
    expect(await versionFor({})).toBe('1.0.0'); // no staging id: not in a staged rollout
    expect(await versionFor({ 'x-user-staging-id': 'garbage' })).toBe('1.0.0');

    // Across many clients, about a quarter get the new version.
    let inCohort = 0;
    for (let i = 0; i < 400; i++) if ((await versionFor({ 'x-user-staging-id': randomUUID() })) === '1.1.0') inCohort++;
    expect(inCohort).toBeGreaterThan(60);
    expect(inCohort).toBeLessThan(140);
  });

  it('widening the rollout keeps everyone already in it, and 100 % reaches all', async () => {
    const body = artifact('1.1.0');
    const yml50 = withStaging(latestYml('1.1.0', 'Meridian-Setup-1.1.0.exe', body, 25), 50);
    expect((await put('latest.yml', yml50)).statusCode).toBe(201);
    const versionFor = async (f: number) => (parseYaml((await app.inject({ method: 'GET', url: '/updates/stable/latest.yml', headers: { 'x-user-staging-id': idAt(f) } })).body) as { version: string }).version;
    expect(await versionFor(0.05)).toBe('1.1.0');
    expect(await versionFor(0.4)).toBe('1.1.0');
    expect(await versionFor(0.6)).toBe('1.0.0'); // the previous release survived a same-version re-upload
    expect((await put('latest.yml', withStaging(yml50, null))).statusCode).toBe(201);
    expect(await versionFor(0.99)).toBe('1.1.0');
    expect(stagingDecision({ stagingPercentage: 100 }, undefined).serve).toBe('current');
    expect(stagingDecision({ stagingPercentage: 'abc' }, undefined).serve).toBe('current'); // electron-updater ignores a NaN percentage too
  });
});

describe('update feed: publishing a release folder', () => {
  it('plans artifacts first, update info last, and refuses a folder whose files do not match', async () => {
    const dir = tempDir('meridian-release-');
    const exe = artifact('4.0.0');
    fs.writeFileSync(path.join(dir, 'Meridian-Setup-4.0.0.exe'), exe);
    fs.writeFileSync(path.join(dir, 'Meridian-Setup-4.0.0.exe.blockmap'), 'blockmap');
    fs.writeFileSync(path.join(dir, 'Meridian-4.0.0-linux-x86_64.deb'), 'deb');
    fs.writeFileSync(path.join(dir, 'builder-debug.yml'), 'x: 1');
    fs.writeFileSync(path.join(dir, 'latest.yml'), latestYml('4.0.0', 'Meridian-Setup-4.0.0.exe', exe));
    const plan = await planRelease(dir, 20);
    expect(plan.artifacts.map((a) => a.file).sort()).toEqual(['Meridian-4.0.0-linux-x86_64.deb', 'Meridian-Setup-4.0.0.exe', 'Meridian-Setup-4.0.0.exe.blockmap']);
    expect(plan.artifacts.find((a) => a.file === 'Meridian-Setup-4.0.0.exe')?.sha512).toBe(sha512(exe));
    expect(plan.updateInfo).toHaveLength(1);
    expect((parseYaml(plan.updateInfo[0]!.text) as { stagingPercentage: number }).stagingPercentage).toBe(20);
    fs.writeFileSync(path.join(dir, 'Meridian-Setup-4.0.0.exe'), 'tampered');
    await expect(planRelease(dir, null)).rejects.toThrow(/does not match/);
  });
});

describe('update feed: registration', () => {
  it('has no upload route without an authoriser, and registers on the server app type', async () => {
    const bare = Fastify();
    await registerUpdateFeed(bare, { root: tempDir('meridian-feed-') });
    await bare.ready();
    expect((await bare.inject({ method: 'PUT', url: '/updates/stable/latest.yml', payload: 'x' })).statusCode).toBe(404);
    await bare.close();
    // server/app.ts's App (a Fastify instance with the zod type provider) is accepted as is.
    const accepts: (app: App) => Promise<void> = (serverApp) => registerUpdateFeed(serverApp, { root });
    expect(typeof accepts).toBe('function');
    expect(() => bearerTokenAuthorizer('short')).toThrow();
  });

  it('accepts either an admin or the CI token when both guards are given', async () => {
    const adminOnly = (req: { headers: Record<string, unknown> }) => {
      if (req.headers['x-admin'] !== 'yes') throw Object.assign(new Error('Publishing a release needs the admin role.'), { code: 'ROLE_FORBIDDEN' });
    };
    const either = Fastify();
    await registerUpdateFeed(either, { root: tempDir('meridian-feed-'), authorizeUpload: anyAuthorizer(adminOnly as never, bearerTokenAuthorizer(TOKEN)) });
    const send = (headers: Record<string, string>) =>
      either.inject({ method: 'PUT', url: '/updates/stable/X-1.0.0.exe', payload: 'x', headers: { 'content-type': 'application/octet-stream', 'x-checksum-sha512': sha512('x'), ...headers } });
    expect((await send({})).statusCode).toBe(403);
    expect((await send({ 'x-admin': 'yes' })).statusCode).toBe(201);
    expect((await send(auth)).statusCode).toBe(200);
    await either.close();
  });
});
