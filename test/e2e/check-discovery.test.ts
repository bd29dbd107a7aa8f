// Issue 13, end to end: where credentials are found and which one each client uses, read from a
// real sandbox (HOME, dotenv files above the project, shell start-up files, git) by the BUILT
// `check --json`, with every credential shown only as a fingerprint.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { emulatorKey } from '../../source/emulator/index.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { requireBuild, runCli } from '../helpers/cli.js';
import {
  box,
  check,
  describeRun,
  emulator,
  EXIT,
  expectNoInference,
  expectNoLeak,
  findingOf,
  ids,
  leaks,
  type Box,
} from './check-harness.js';

requireBuild();

/** `sk-ant-api03-…WXYZ (N chars)`, per cli-contract.md "Fingerprints". */
const fp = (value: string) => `sk-ant-api03-…${value.slice(-4)} (${value.length} chars)`;

function git(b: Box, ...args: string[]): void {
  // Identity via the environment: the sandbox HOME has no git config.
  const id = {
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
  };
  execFileSync('git', args, {
    cwd: b.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: b.home, ...id },
    stdio: 'pipe',
  });
}

describe.concurrent(
  'issue 13: an empty env var, a damaged key in ../.env, another key in ~/.bashrc (--no-network)',
  () => {
    /** The "Done when" setup; the zero-width space sits after the 40th character (position 41). */
    function setup() {
      const b = box();
      const clean = fakeKey('api');
      const damaged = clean.slice(0, 40) + '\u200b' + clean.slice(40);
      const shellKey = fakeKey('api');
      b.write('../.env', `ANTHROPIC_API_KEY=${damaged}\n`);
      b.write('~/.bashrc', `# shell start-up\nexport PATH="$PATH:$HOME/bin"\nexport ANTHROPIC_API_KEY=${shellKey}\n`);
      return { b, damaged, shellKey, env: { ANTHROPIC_API_KEY: '' } };
    }

    it('JSON sources name all three with fingerprints; the findings explain each; exit 1', async () => {
      const { b, damaged, shellKey, env } = setup();
      const r = await check(b, ['--no-network'], env);
      const context = describeRun(r);

      const sources = Object.fromEntries(r.json.sources.map((s) => [s.source, s]));
      expect(Object.keys(sources).sort(), context).toEqual([
        'env:ANTHROPIC_API_KEY',
        'file:../.env:1',
        'file:~/.bashrc:3',
      ]);
      expect(sources['env:ANTHROPIC_API_KEY']!.fingerprint).toBe('… (0 chars)');
      expect(sources['file:../.env:1']).toMatchObject({
        name: 'ANTHROPIC_API_KEY',
        kind: 'api_key',
        fingerprint: fp(damaged),
      });
      expect(sources['file:~/.bashrc:3']).toMatchObject({
        name: 'ANTHROPIC_API_KEY',
        kind: 'api_key',
        fingerprint: fp(shellKey),
      });
      // The empty variable wins for every client, and hides both keys.
      for (const s of r.json.sources) expect(s.usedBy, `${s.source} used by`).toEqual([]);

      expect(findingOf(r, 'env.empty_var')).toMatchObject({ severity: 'error', step: 'key_format' });
      expect(findingOf(r, 'env.empty_var').detail).toContain('file:../.env:1');
      expect(findingOf(r, 'env.empty_var').detail).toMatch(/Claude Code/);
      expect(findingOf(r, 'env.dotenv_parent').detail).toContain('../.env');
      expect(findingOf(r, 'env.conflict').detail).toContain('~/.bashrc:3');
      const ws = findingOf(r, 'key.whitespace');
      expect(ws.detail).toContain('U+200B');
      expect(ws.detail).toMatch(/position 41\b/);
      expect(ws.detail).toContain('file:../.env:1');

      expect(r.json.verdict, context).toBe('problem');
      expect(r.code, context).toBe(EXIT.problem);
      expect(r.json.probes).toEqual([]);
      expectNoLeak(r, damaged, shellKey);
    });

    it('the human output (stdout) and the Markdown report leak neither key either', async () => {
      const { b, damaged, shellKey, env } = setup();
      const text = await runCli(['check', '--no-network'], { cwd: b.cwd, home: b.home, env });
      const report = await runCli(['check', '--no-network', '--report', '-'], { cwd: b.cwd, home: b.home, env });
      expect(text.code).toBe(EXIT.problem);
      expect(text.stdout).toContain('U+200B');
      expect(report.stdout).toContain('U+200B');
      for (const out of [text.stdout, text.stderr, report.stdout, report.stderr]) {
        expect(leaks(out, damaged)).toBeNull();
        expect(leaks(out, shellKey)).toBeNull();
      }
    });
  },
);

describe.concurrent('--key-env NAME: a CI secret under a custom name is diagnosed and reported under that name', () => {
  it.each([
    { name: 'a working key', works: true, code: EXIT.ok, verdict: 'ok', id: 'key.valid' },
    { name: 'a key the API does not know', works: false, code: EXIT.problem, verdict: 'problem', id: 'key.invalid' },
  ])('$name → $id, exit $code', async ({ works, code, verdict, id }) => {
    const b = box();
    const k = emulatorKey();
    const emu = await emulator({ keys: [k] });
    const value = works ? k.value : fakeKey('api');
    const r = await check(b, ['--key-env', 'MY_CI_KEY', '--api-url', emu.url, '--client', 'curl'], {
      MY_CI_KEY: value,
    });
    const context = describeRun(r);
    expect(
      r.json.sources.map((s) => s.source),
      context,
    ).toEqual(['env:MY_CI_KEY']);
    expect(r.json.sources[0]!.fingerprint).toBe(fp(value));
    expect(ids(r), context).not.toContain('env.wrong_name');
    // The credential was checked live, in the form curl sends it.
    expect(
      emu.requests.some((q) => q.headers['x-api-key'] === value),
      `MY_CI_KEY was never probed: ${context}`,
    ).toBe(true);
    expect(r.json.credential?.source, context).toBe('env:MY_CI_KEY');
    expect(ids(r), context).toContain(id);
    expect(r.json.verdict, context).toBe(verdict);
    expect(r.code, context).toBe(code);
    expectNoInference(emu);
    expectNoLeak(r, value);
  });
});

describe.concurrent('near-miss names: a key under a name no client reads → env.wrong_name (--no-network)', () => {
  it.each([
    ['CLAUDE_API_KEY', 'ANTHROPIC_API_KEY'],
    ['ANTHROPIC_KEY', 'ANTHROPIC_API_KEY'],
    ['ANTRHOPIC_API_KEY', 'ANTHROPIC_API_KEY'], // two typing edits
    ['anthropic_api_key', 'ANTHROPIC_API_KEY'], // lower case (Linux names are case-sensitive)
    ['MY_SECRET', 'ANTHROPIC_API_KEY'], // any variable whose value starts with sk-ant-
  ])('%s → rename to %s', async (name, target) => {
    const b = box();
    const k = fakeKey('api');
    const r = await check(b, ['--no-network', '--client', 'curl'], { [name]: k });
    const context = describeRun(r);
    const f = findingOf(r, 'env.wrong_name');
    expect(f.severity).toBe('error');
    expect(f.detail).toContain(`env:${name}`);
    expect(f.detail).toContain(target);
    expect(r.json.sources.find((s) => s.source === `env:${name}`)?.fingerprint, context).toBe(fp(k));
    expect(r.code, context).toBe(EXIT.problem);
    expectNoLeak(r, k);
  });

  it('the real name next to a near-miss one: the real one is used, no wrong_name error', async () => {
    const b = box();
    const k = fakeKey('api');
    const r = await check(b, ['--no-network', '--client', 'curl'], { ANTHROPIC_API_KEY: k, CLAUDE_API_KEY: k });
    expect(r.json.credential?.source).toBe('env:ANTHROPIC_API_KEY');
    expect(
      r.json.findings.filter((f) => f.id === 'env.wrong_name' && f.severity === 'error'),
      describeRun(r),
    ).toEqual([]);
    expectNoLeak(r, k);
  });
});

describe.concurrent('hygiene: git (--no-network)', () => {
  it('a key committed to a tracked file → key.leaked (error: it is the key in use), exit 1', async () => {
    const b = box();
    const k = fakeKey('api');
    git(b, 'init', '-q');
    b.write('src/config.js', `export const apiKey = "${k}";\n`);
    git(b, 'add', 'src/config.js');
    git(b, 'commit', '-qm', 'config');
    const r = await check(b, ['--no-network', '--client', 'curl'], { ANTHROPIC_API_KEY: k });
    const f = findingOf(r, 'key.leaked');
    expect(f).toMatchObject({ severity: 'error', step: 'key_format' });
    expect(f.detail).toContain('src/config.js');
    expect(f.detail).toContain(fp(k));
    expect(r.code, describeRun(r)).toBe(EXIT.problem);
    expectNoLeak(r, k);
  });

  it('the same file untracked → no key.leaked', async () => {
    const b = box();
    const k = fakeKey('api');
    git(b, 'init', '-q');
    b.write('src/config.js', `export const apiKey = "${k}";\n`);
    const r = await check(b, ['--no-network', '--client', 'curl'], { ANTHROPIC_API_KEY: k });
    expect(ids(r), describeRun(r)).not.toContain('key.leaked');
    expectNoLeak(r, k);
  });

  it('a .env holding a key, not ignored by git → env.dotenv_not_ignored (warning), inconclusive offline', async () => {
    const b = box();
    const k = fakeKey('api');
    git(b, 'init', '-q');
    b.write('.env', `ANTHROPIC_API_KEY=${k}\n`);
    const r = await check(b, ['--no-network'], {});
    const f = findingOf(r, 'env.dotenv_not_ignored');
    expect(f).toMatchObject({ severity: 'warning', step: 'key_format' });
    expect(f.detail).toContain('.env');
    expect(r.json.sources.map((s) => s.source)).toEqual(['file:.env:1']);
    expect(r.code, describeRun(r)).toBe(EXIT.inconclusive);
    expectNoLeak(r, k);
  });

  it('the same .env listed in .gitignore → no env.dotenv_not_ignored', async () => {
    const b = box();
    const k = fakeKey('api');
    git(b, 'init', '-q');
    b.write('.gitignore', '.env\n');
    b.write('.env', `ANTHROPIC_API_KEY=${k}\n`);
    const r = await check(b, ['--no-network'], {});
    expect(ids(r), describeRun(r)).not.toContain('env.dotenv_not_ignored');
    expectNoLeak(r, k);
  });
});
