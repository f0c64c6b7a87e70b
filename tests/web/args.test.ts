import { describe, expect, it } from 'vitest';
import { parseWebArgs, WebArgsError } from '../../electron/hosts/web/args';

describe('web host arguments', () => {
  it('defaults: first free port from 5173, demo seed, build when stale', () => {
    expect(parseWebArgs([], {})).toEqual({ port: null, db: undefined, profile: undefined, server: undefined, seed: true, build: 'auto', help: false });
  });

  it('--port wins over PORT; PORT is used when --port is absent', () => {
    expect(parseWebArgs(['--port', '8080'], { PORT: '9000' }).port).toBe(8080);
    expect(parseWebArgs([], { PORT: '9000' }).port).toBe(9000);
    expect(parseWebArgs(['--port=0'], {}).port).toBe(0);
  });

  it('takes --db, --profile and --server like the CLI', () => {
    const a = parseWebArgs(['--db', '/tmp/x.sqlite', '--profile', 'demo', '--server', 'https://meridian.example.com'], {});
    expect(a).toMatchObject({ db: '/tmp/x.sqlite', profile: 'demo', server: 'https://meridian.example.com' });
  });

  it('build and seed switches', () => {
    expect(parseWebArgs(['--rebuild'], {}).build).toBe('always');
    expect(parseWebArgs(['--no-build'], {}).build).toBe('never');
    expect(parseWebArgs(['--no-seed'], {}).seed).toBe(false);
    expect(() => parseWebArgs(['--rebuild', '--no-build'], {})).toThrow(WebArgsError);
  });

  it('refuses bad ports, bad URLs and unknown options with a usage error', () => {
    expect(() => parseWebArgs(['--port', 'http'], {})).toThrow(/not a port number/);
    expect(() => parseWebArgs(['--port', '70000'], {})).toThrow(WebArgsError);
    expect(() => parseWebArgs([], { PORT: 'abc' })).toThrow(/PORT/);
    expect(() => parseWebArgs(['--server', 'not a url'], {})).toThrow(/not a URL/);
    expect(() => parseWebArgs(['--server', 'ftp://x'], {})).toThrow(/http/);
    expect(() => parseWebArgs(['--frobnicate'], {})).toThrow(WebArgsError);
  });
});
