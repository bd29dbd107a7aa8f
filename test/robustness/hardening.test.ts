// Issue #21's defects, each driven through the BUILT CLI (dist/cli.js): usage errors that echoed a
// key, git running a repository's fsmonitor, a failing stdout, a FIFO wait Ctrl-C could not stop,
// temp files a signal left, --report onto what exists, a working directory over PATH_MAX, a huge
// deep ~/.claude.json, SIGHUP leaving the terminal raw. Leak checks use test/helpers/leak.ts.
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emulatorKey } from '../../source/emulator/index.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { until } from '../e2e/pty.js';
import { leaks } from '../helpers/leak.js';
import {
  answeringServer,
  box,
  CLI,
  cli,
  emulator,
  EXIT,
  expectSane,
  onCleanup,
  ptyRun,
  requireBuild,
  type Box,
} from './helpers.js';

beforeAll(requireBuild);

const canRun = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const posix = process.platform !== 'win32';

/** No 7 consecutive characters of `value` in `text`: a usage error echoes at most 6. */
function echoesAtMost6(text: string, value: string): boolean {
  for (let i = 0; i + 7 <= value.length; i++) if (text.includes(value.slice(i, i + 7))) return false;
  return true;
}

describe('usage errors echo at most 6 characters of the refused value (#21.4)', () => {
  const key = fakeKey('api');
  it.each([
    ['--project', ['check', '--no-network', '--project', key]],
    ['--error-file', ['check', '--no-network', '--error-file', key]],
    ['--report into a missing directory', ['check', '--no-network', '--report', path.join(key, 'r.md')]],
    ['demo NAME', ['demo', key]],
    ['--timeout', ['check', '--timeout', key]],
    ['--wait', ['check', '--wait', key]],
    ['--key-age', ['check', '--key-age', key]],
    ['a stray argument', ['check', key]],
    ['a command', [key]],
    ['an option', [`--${key}`]],
    ['--key-env', ['check', '--key-env', key]],
    ['--api-url', ['check', '--api-url', key]],
    ['--model', ['check', '--model', `${key}!`]],
  ])('%s', async (_what, argv) => {
    const b = box();
    const r = await cli(argv, b, { env: {} });
    expectSane(r, { codes: [EXIT.usage] });
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(echoesAtMost6(r.stdout + r.stderr, key), r.stderr).toBe(true);
  });
});

describe('git runs nothing a repository configures, and only under a .git (#21.5)', () => {
  it.skipIf(!posix || !canRun('git'))('a .git/config core.fsmonitor (and hooks) never run', async () => {
    const b = box();
    const marker = path.join(b.root, 'fsmonitor-ran');
    const hook = path.join(b.root, 'hook.sh');
    writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\necho '{}'\n`);
    chmodSync(hook, 0o755);
    execFileSync('git', ['init', '-q'], { cwd: b.cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
    b.write('tracked.txt', 'hello\n');
    execFileSync('git', ['add', 'tracked.txt'], { cwd: b.cwd });
    // What an unpacked archive or a cloned repository can carry: fsmonitor, hooks, an external diff.
    const config = readFileSync(path.join(b.cwd, '.git/config'), 'utf8');
    writeFileSync(
      path.join(b.cwd, '.git/config'),
      `${config}[core]\n\tfsmonitor = ${hook}\n\thooksPath = ${b.root}\n[diff]\n\texternal = ${hook}\n`,
    );
    b.write('.env', `ANTHROPIC_API_KEY=${fakeKey('api')}\n`);
    const r = await cli(['check', '--no-network', '--json'], b);
    expectSane(r, { codes: [EXIT.problem, EXIT.inconclusive] });
    // The hygiene checks still ran: the .env's ignore state is known.
    expect(JSON.stringify(r.json)).toMatch(/dotenv_not_ignored/);
    expect(existsSync(marker), 'core.fsmonitor ran').toBe(false);
  });

  it.skipIf(!posix)('without a .git up the tree, git is never started', async () => {
    const b = box();
    const log = path.join(b.root, 'git.log');
    const bin = path.join(b.root, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'git'), `#!/bin/sh\necho "$@" >> '${log}'\nexit 1\n`);
    chmodSync(path.join(bin, 'git'), 0o755);
    b.write('.env', `ANTHROPIC_API_KEY=${fakeKey('api')}\n`);
    const r = await cli(['check', '--no-network'], b, { env: { PATH: `${bin}:${process.env.PATH}` } });
    expectSane(r, { codes: [EXIT.problem, EXIT.inconclusive] });
    expect(existsSync(log), existsSync(log) ? readFileSync(log, 'utf8') : '').toBe(false);
  });
});

describe('a stdout that fails ends the run with exit 2 and one line (#21.8)', () => {
  it.skipIf(!existsSync('/dev/full'))('check --json > /dev/full', async () => {
    const b = box();
    const r = await cli(['check', '--json', '--no-network'], b, {
      env: { ANTHROPIC_API_KEY: fakeKey('api') },
      launcher: (argv) => ({ file: '/bin/sh', args: ['-c', 'exec "$@" > /dev/full', 'sh', process.execPath, ...argv] }),
    });
    expectSane(r, { codes: [EXIT.usage] });
    expect(r.stderr).toBe('claude-401-wizard: cannot write to stdout: no space left on device\n');
  });
});

/** Spawns the built CLI directly (so a signal reaches node itself). */
function spawnCli(args: string[], b: Box, env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const child = spawn(process.execPath, [...nodeArgs, CLI, ...args], {
    cwd: b.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: b.home, CI: 'true', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  onCleanup(() => void child.kill('SIGKILL'));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stderr: () => stderr };
}

describe('every wait is interruptible (#21.9)', () => {
  it.skipIf(!posix)('Ctrl-C while --error-file names a FIFO nobody writes to: exit 130', async () => {
    const b = box();
    const fifo = path.join(b.cwd, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const run = spawnCli(['check', '--no-network', '--error-file', fifo], b);
    // Wait until it is blocked on the FIFO (its stat shows the reader), then interrupt.
    await new Promise((r) => setTimeout(r, 500));
    run.child.kill('SIGINT');
    const end = await Promise.race([run.exited, new Promise<'hang'>((r) => setTimeout(() => r('hang'), 5000))]);
    expect(end, 'still waiting on the FIFO after Ctrl-C').not.toBe('hang');
    expect(end).toEqual({ code: EXIT.cancelled, signal: null });
  });

  it.skipIf(!posix)('a FIFO that a writer fills later is still read whole', async () => {
    const b = box();
    const fifo = path.join(b.cwd, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const r = await cli(['check', '--no-network', '--json', '--error-file', fifo], b, {
      env: { ANTHROPIC_API_KEY: fakeKey('api') },
      launcher: (argv) => ({
        file: '/bin/sh',
        args: [
          '-c',
          `(sleep 0.3; printf '%s' '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}' > '${fifo}') & exec "$@"`,
          'sh',
          process.execPath,
          ...argv,
        ],
      }),
    });
    expectSane(r, { codes: [EXIT.problem] });
    expect(JSON.stringify(r.json)).toMatch(/invalid x-api-key/);
  });
});

// A preload that holds the report's last step (rename or link of the .tmp file) until the test
// has sent its signal: the one moment a temp file with the full report exists.
const HOLD = `
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
for (const name of ['rename', 'link']) {
  const real = fsp[name];
  fsp[name] = async (from, to) => {
    if (String(from).endsWith('.tmp')) {
      fs.writeFileSync(process.env.C401_HELD, 'held');
      await new Promise((r) => setTimeout(r, 60000));
    }
    return real(from, to);
  };
}
syncBuiltinESMExports();
`;

describe('temp files of the report are removed on every signal (#21.10)', () => {
  it.skipIf(!posix).each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)(
    '%s while the report is being written: no temp file, nothing at FILE',
    async (signal) => {
      const b = box();
      const hold = b.write(path.join(b.root, 'hold.mjs'), HOLD);
      const held = path.join(b.root, 'held');
      const report = path.join(b.cwd, 'r.md');
      const run = spawnCli(
        ['check', '--no-network', '--report', report],
        b,
        {
          ANTHROPIC_API_KEY: fakeKey('api'),
          C401_HELD: held,
        },
        ['--import', hold],
      );
      await until(
        () => existsSync(held),
        () => `never reached the rename; stderr: ${run.stderr()}`,
        15_000,
      );
      expect(readdirSync(b.cwd).filter((f) => f.endsWith('.tmp'))).toHaveLength(1);
      run.child.kill(signal);
      const end = await run.exited;
      expect(end.signal === signal || end.code === EXIT.cancelled, JSON.stringify(end)).toBe(true);
      expect(readdirSync(b.cwd)).toEqual([]);
    },
  );
});

describe('--report onto what exists (#21.11)', () => {
  it('a symlink at FILE is replaced by the report, never written through', async () => {
    const b = box();
    const target = b.write(path.join(b.root, 'elsewhere.txt'), 'untouched\n');
    const report = path.join(b.cwd, 'r.md');
    symlinkSync(target, report);
    const r = await cli(['check', '--no-network', '--report', report], b, {
      env: { ANTHROPIC_API_KEY: fakeKey('api') },
    });
    expectSane(r, { codes: [EXIT.inconclusive] });
    expect(readFileSync(target, 'utf8')).toBe('untouched\n');
    expect(lstatSync(report).isFile()).toBe(true);
    expect(statSync(report).mode & 0o777).toBe(0o600);
    expect(readFileSync(report, 'utf8')).toMatch(/^# /m);
  });

  it('a directory is a usage error found before any check runs', async () => {
    const b = box();
    const key = emulatorKey();
    const api = await emulator({ keys: [key] });
    const r = await cli(['check', '--api-url', api.url, '--report', b.cwd], b, {
      env: { ANTHROPIC_API_KEY: key.value },
    });
    expectSane(r, { codes: [EXIT.usage], secrets: [key.value] });
    expect(r.stderr).toMatch(/^claude-401-wizard: cannot write report to .*: is a directory\n$/);
    expect(api.requests, 'a check ran before the usage error').toEqual([]);
  });
});

describe('a working directory longer than PATH_MAX (#21.13)', () => {
  it.skipIf(process.platform !== 'linux')(
    'still reads its .env (and says nothing about a deleted directory)',
    async () => {
      const b = box();
      const key = fakeKey('api');
      // 25 levels of 200 characters: 5,000+ characters, past Linux's PATH_MAX of 4,096. Made (and
      // removed) one level at a time by the shell: an absolute name this long cannot be opened.
      const level = 'd'.repeat(200);
      const down = Array.from({ length: 25 }, () => `cd ${level}`).join(' && ');
      // bash, not dash: dash refuses to cd once the logical path passes PATH_MAX.
      const bash = (script: string) => execFileSync('bash', ['-c', script]);
      onCleanup(() => void bash(`cd '${b.cwd}' && rm -rf ${level}`));
      bash(
        `cd '${b.cwd}' && for i in $(seq 25); do mkdir ${level} && cd ${level}; done && ` +
          `printf 'ANTHROPIC_API_KEY=%s\\n' '${key}' > .env`,
      );
      const r = await cli(['check', '--no-network', '--json'], b, {
        launcher: (argv) => ({ file: 'bash', args: ['-c', `${down} && exec "$@"`, 'bash', process.execPath, ...argv] }),
      });
      expectSane(r, { codes: [EXIT.inconclusive, EXIT.problem], secrets: [key] });
      expect(r.json.sources.map((s: { source: string }) => s.source)).toContain('file:.env:1');
      expect(JSON.stringify(r.json.notes)).not.toMatch(/deleted/);
    },
  );
});

describe('a huge, deeply nested ~/.claude.json (#21, also seen)', () => {
  it('is refused by its depth with a note, within 256 MB of heap', async () => {
    const b = box();
    const n = 9_000_000;
    b.write('~/.claude.json', '['.repeat(n) + ']'.repeat(n));
    const r = await cli(['check', '--no-network', '--json'], b, {
      env: { ANTHROPIC_API_KEY: fakeKey('api'), NODE_OPTIONS: '--max-old-space-size=256' },
      killAfterMs: 30_000,
    });
    expectSane(r, { codes: [EXIT.inconclusive] });
    expect(r.json.notes).toContain('~/.claude.json: not read (nested deeper than 256 levels)');
  });
});

describe('SIGHUP sent with kill leaves the terminal as it found it (#21, also seen)', () => {
  it.skipIf(!posix)('raw mode off and the cursor shown again', async () => {
    const b = box();
    // The wizard runs under a shell in the PTY; after it ends, the shell prints the terminal's mode.
    const run = await ptyRun([], {
      cwd: b.cwd,
      home: b.home,
      env: { ANTHROPIC_API_KEY: fakeKey('api') },
      command: {
        file: '/bin/sh',
        args: [
          '-c',
          `stty -a > '${b.root}/before'; "$0" '${CLI}' --no-network; stty -a > '${b.root}/after'; echo DONE`,
          process.execPath,
        ],
      },
    });
    await until(
      () => /↑↓ and Enter|Arrows and Enter|Enter submits|an empty line finishes/.test(run.screen()),
      () => run.screen(),
    );
    const node = execFileSync('pgrep', ['-P', String(run.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')[0]!;
    process.kill(Number(node), 'SIGHUP');
    await until(
      () => run.raw().includes('DONE'),
      () => run.screen(),
    );
    const flags = (f: string) => readFileSync(path.join(b.root, f), 'utf8').match(/-?icanon|-?echo\b/g);
    expect(flags('after')).toEqual(flags('before'));
    const raw = run.raw();
    expect(raw.lastIndexOf('\u001b[?25h')).toBeGreaterThan(raw.lastIndexOf('\u001b[?25l'));
  });
});

describe('secrets beyond keys, through the built CLI (#21.2, .3, .6, .7)', () => {
  const vault = () => 'hv' + 's.' + fakeKey('sid').slice(13, 103);
  /** A server that answers 401 with `body(headers)`. */
  const echo = (body: (h: Record<string, unknown>) => string) =>
    answeringServer((req) => ({
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: body(req.headers),
    }));
  async function run(b: Box, env: Record<string, string>, args: string[]) {
    const report = path.join(b.cwd, 'r.md');
    const r = await cli(['check', '--json', '--report', report, ...args], b, { env });
    const md = readFileSync(report, 'utf8');
    return { r, md, json: r.stdout.replace(/\\[nrt]/g, ' ') };
  }

  it('#21.2 an apiKeyHelper command is shown as its program; a Vault token in it never', async () => {
    const b = box();
    const token = vault();
    const key = fakeKey('api');
    b.write(
      '~/.claude/settings.json',
      JSON.stringify({
        apiKeyHelper: `curl -s -H 'X-Vault-Token: ${token}' https://vault.example/v1/kv/${key.slice(0, 60)}\u200b${key.slice(60)}`,
      }),
    );
    const { r, md, json } = await run(b, {}, ['--no-network']);
    expect(leaks({ json, stderr: r.stderr, report: md }, [token, key])).toEqual([]);
    expect(md).toContain('curl …');
  });

  it('#21.3 a pasted error with a key broken by a line break or a zero-width space, the key nowhere else', async () => {
    const b = box();
    const k1 = fakeKey('api');
    const k2 = fakeKey('oat');
    // A token with no known prefix, broken by a space: every token-shaped run of a paste is a secret.
    const k3 = fakeKey('sid').slice(13, 60);
    b.write(
      'error.txt',
      `Error: 401 invalid x-api-key\nx-api-key: ${k1.slice(0, 50)}\n${k1.slice(50)}\n` +
        `Bearer ${k2.slice(0, 30)}\u200b${k2.slice(30)}\n401 Unauthorized: token ${k3.slice(0, 30)} ${k3.slice(30)}\n`,
    );
    const { r, md, json } = await run(b, { ANTHROPIC_API_KEY: fakeKey('api') }, [
      '--no-network',
      '--error-file',
      'error.txt',
    ]);
    expect(leaks({ json, stderr: r.stderr, report: md }, [k1, k2, k3])).toEqual([]);
    // The same paste as the only line, in a text run (what the red team saw leak on screen and in the report).
    const k4 = fakeKey('sid').slice(13, 70).replace(/[-_]/g, 'x');
    b.write('error2.txt', `401 Unauthorized: token ${k4.slice(0, 32)} ${k4.slice(32)} rejected`);
    const report2 = path.join(b.cwd, 'r2.md');
    const r2 = await cli(['check', '--no-network', '--error-file', 'error2.txt', '--report', report2], b, {
      env: { ANTHROPIC_API_KEY: fakeKey('api') },
    });
    expect(leaks({ stdout: r2.stdout, report: readFileSync(report2, 'utf8') }, [k4])).toEqual([]);
  });

  it('#21.6 a known key echoed by a server with zero-width spaces interleaved', async () => {
    const b = box();
    const key = fakeKey('api');
    const server = await echo(() =>
      JSON.stringify({
        type: 'error',
        error: { type: 'authentication_error', message: `bad key ${[...key].join('\u200b')}` },
      }),
    );
    const { r, md, json } = await run(b, { ANTHROPIC_API_KEY: key }, ['--api-url', server.url]);
    expect(leaks({ json, stderr: r.stderr, report: md }, [key])).toEqual([]);
  });

  it('#21.7 ANTHROPIC_CUSTOM_HEADERS values echoed by a server: names shown, values never', async () => {
    const b = box();
    const token = vault();
    const server = await echo((h) =>
      JSON.stringify({
        type: 'error',
        error: { type: 'authentication_error', message: `gateway saw ${JSON.stringify(h)}` },
      }),
    );
    const { r, md, json } = await run(
      b,
      { ANTHROPIC_API_KEY: fakeKey('api'), ANTHROPIC_CUSTOM_HEADERS: `X-Gateway-Token: ${token}` },
      ['--api-url', server.url],
    );
    expect(server.seen.length).toBeGreaterThan(0);
    expect(leaks({ json, stderr: r.stderr, report: md }, [token])).toEqual([]);
    expect(md.toLowerCase()).toContain('x-gateway-token');
  });
});
