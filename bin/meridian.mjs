#!/usr/bin/env node
// The package's `meridian` bin: runs the TypeScript CLI through tsx, so it
// works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

register();
const here = path.dirname(fileURLToPath(import.meta.url));
const { runCli } = await import(path.join(here, '..', 'electron', 'hosts', 'cli', 'main.ts'));
process.exitCode = await runCli(process.argv.slice(2));
