import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { arch, release, tmpdir, type } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectEnvironment, isCi, proxyHost } from '../../source/io/environment.js';

describe('isCi', () => {
  it.each([
    [{ CI: 'true' }, true],
    [{ CI: '1' }, true],
    [{ CONTINUOUS_INTEGRATION: 'yes' }, true],
    [{ CI: '0' }, false],
    [{ CI: 'false' }, false],
    [{ CI: 'FALSE', CONTINUOUS_INTEGRATION: '0' }, false],
    [{ CI: '' }, true], // set, and not 0/false (as core/args.ts isInteractive reads it)
    [{}, false],
  ])('%j -> %s', (env, expected) => expect(isCi(env)).toBe(expected));
});

describe('proxyHost', () => {
  it('keeps host:port only, never user-info, path or query', () => {
    const password = 'pw-' + 'x'.repeat(20);
    const host = proxyHost({ HTTPS_PROXY: `http://alice:${password}@proxy.corp.example:3128/path?token=${password}` });
    expect(host).toBe('proxy.corp.example:3128');
  });
  it('prefers https over http, lower case first, and accepts a value without scheme', () => {
    expect(proxyHost({ HTTP_PROXY: 'http://h1:1', https_proxy: 'h2:2', HTTPS_PROXY: 'http://h3:3' })).toBe('h2:2');
    expect(proxyHost({ http_proxy: 'http://u:p@h4:4' })).toBe('h4:4');
    expect(proxyHost({})).toBeNull();
    expect(proxyHost({ HTTPS_PROXY: '   ' })).toBeNull();
  });
  it('says so, without echoing, when the value is not a URL', () => {
    expect(proxyHost({ HTTPS_PROXY: 'http://user:secret@[bad' })).toBe('(unparseable proxy URL)');
  });
});

describe.skipIf(process.platform === 'win32')('collectEnvironment', () => {
  let bin: string;
  let empty: string;
  beforeAll(async () => {
    bin = await mkdtemp(join(tmpdir(), 'c401-env-'));
    empty = await mkdtemp(join(tmpdir(), 'c401-empty-'));
    // A fake `claude` that answers differently depending on the environment it is given.
    await writeFile(
      join(bin, 'claude'),
      '#!/bin/sh\nif [ "$C401_TEST_MODE" = slow ]; then sleep 5; fi\nif [ "$C401_TEST_MODE" = given ]; then ' +
        'echo "9.8.7 (Claude Code)"; else echo "1.0.0 (Claude Code)"; fi\n',
    );
    await chmod(join(bin, 'claude'), 0o755);
  });
  afterAll(async () => {
    await rm(bin, { recursive: true, force: true });
    await rm(empty, { recursive: true, force: true });
  });

  it(
    'collects OS, node, shell, terminal, CI, proxy, time ' + 'zone and the Claude Code version from the given env',
    async () => {
      const info = await collectEnvironment({
        env: {
          PATH: bin,
          C401_TEST_MODE: 'given',
          SHELL: '/usr/local/bin/zsh',
          TERM_PROGRAM: 'iTerm.app',
          TERM: 'xterm',
          CI: 'true',
          HTTPS_PROXY: 'http://u:p@proxy:8080',
        },
        toolVersion: '0.1.0',
        platform: 'linux',
        timeoutMs: 10_000, // generous: a loaded machine must not turn this into a timeout
      });
      expect(info).toEqual({
        toolVersion: '0.1.0',
        os: `${type()} ${release()} ${arch()}`,
        node: process.version,
        shell: 'zsh',
        terminal: 'iTerm.app',
        ci: true,
        proxy: 'proxy:8080',
        claudeCodeVersion: '9.8.7',
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      });
    },
  );

  it('falls back to TERM, ComSpec on Windows, and null where nothing is known', async () => {
    const win = await collectEnvironment({
      env: { PATH: empty, ComSpec: 'C:\\Windows\\System32\\cmd.exe', TERM: 'xterm-256color' },
      toolVersion: '0.1.0',
      platform: 'win32',
    });
    expect(win.shell).toBe('cmd.exe');
    expect(win.terminal).toBe('xterm-256color');
    const bare = await collectEnvironment({ env: { PATH: empty }, toolVersion: '0.1.0', platform: 'linux' });
    expect(bare).toMatchObject({ shell: null, terminal: null, ci: false, proxy: null, claudeCodeVersion: null });
  });

  it('gives up on a slow `claude --version`', async () => {
    const info = await collectEnvironment({
      env: { PATH: `${bin}:/usr/bin:/bin`, C401_TEST_MODE: 'slow' },
      toolVersion: '0.1.0',
      platform: 'linux',
      timeoutMs: 200,
    });
    expect(info.claudeCodeVersion).toBeNull();
  });
});
