/**
 * `npm run bench [-- core server sync ui reports]`: runs the benchmarks (all by
 * default) and writes each one's figures to bench/results/<name>.json with
 * the machine they ran on. Performance is measured here, never asserted in
 * tests; every benchmark reports the raw limit it compares against, measured
 * in the same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Bench = () => Promise<Record<string, unknown>>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  core: async () => (await import('./core')).benchCore,
  server: async () => (await import('./server')).benchServer,
  sync: async () => (await import('./sync')).benchSync,
  ui: async () => (await import('./ui')).benchUi,
  reports: async () => (await import('./reports')).benchReports,
};

const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

function machine() {
  return { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30) };
}

async function main() {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(BENCHES);
  fs.mkdirSync(resultsDir, { recursive: true });
  let failed = 0;
  for (const name of names) {
    const load = BENCHES[name];
    if (!load) {
      console.error(`unknown benchmark "${name}" (have: ${Object.keys(BENCHES).join(', ')})`);
      process.exitCode = 2;
      return;
    }
    console.log(`bench ${name} …`);
    const started = Date.now();
    try {
      const figures = await (await load())();
      const result = { benchmark: name, ranAt: new Date().toISOString(), seconds: (Date.now() - started) / 1000, machine: machine(), ...figures };
      const file = path.join(resultsDir, `${name}.json`);
      fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`bench ${name}: wrote ${path.relative(process.cwd(), file)}`);
    } catch (e) {
      failed++;
      console.error(`bench ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
