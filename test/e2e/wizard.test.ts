// The built CLI in a real pseudo-terminal (80×24, CI=false): `demo NAME` runs the wizard against
// the embedded emulator. Asserts what is on screen, the exit code, the saved report, and that no
// credential ever crosses the PTY.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answerAll, KEYS, requireBuild, runCli, SECRET_IN_STREAM, until, type Run } from './pty.js';

let dir: string;
let home: string;
const runs: Run[] = [];

beforeAll(() => requireBuild());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'c401-e2e-'));
  home = join(dir, 'home');
  await import('node:fs/promises').then((fs) => fs.mkdir(home));
});
afterEach(async () => {
  for (const r of runs.splice(0)) r.kill();
  await rm(dir, { recursive: true, force: true });
});

function demo(name: string): Run {
  const run = runCli(['demo', name], { cwd: dir, home });
  runs.push(run);
  return run;
}

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[()][0-9A-Za-z]|\u001b[=>78]/g, '');

/** Answers shared by the flows; the scenario-specific ones go first. */
const COMMON: [string, string[]][] = [
  ['Paste the error you saw', [KEYS.enter]],
  ['Where does the failing program run?', [KEYS.down, KEYS.enter]], // Here, from this terminal
  ['Claude Pro or Max', [KEYS.down, KEYS.down, KEYS.enter]], // No, I use an API key
  ['Which model do you call?', [KEYS.enter]],
  ['Paste an Admin API key', [KEYS.enter]],
  ['In the Console', [KEYS.enter]], // Skip / I don't know
  ['Where do you mean to send requests?', [KEYS.down, KEYS.enter]], // The Anthropic API
  ['Send the key there too', [KEYS.down, KEYS.enter]], // Yes, probe it
];

function saveTo(path: string): [string, string[]][] {
  return [
    ['Save a report?', [KEYS.down, KEYS.enter]], // Save somewhere else…
    ['File or folder', [path, KEYS.enter]],
  ];
}

async function flow(name: string, first: [string, string[]][]) {
  const run = demo(name);
  const report = join(dir, `${name}.md`);
  let exit: { exitCode: number } | null = null;
  void run.exited.then((e) => (exit = e));
  await answerAll(run, [...first, ...COMMON, ...saveTo(report)], () => exit !== null);
  const { exitCode } = await run.exited;
  return { run, exitCode, report, screen: run.screen(), all: run.all() };
}

async function expectReport(path: string): Promise<string> {
  const st = await stat(path);
  expect(st.mode & 0o777).toBe(0o600);
  const md = await readFile(path, 'utf8');
  expect(md).not.toMatch(SECRET_IN_STREAM);
  return md;
}

function expectNoSecret(run: Run): void {
  expect(run.raw()).not.toMatch(SECRET_IN_STREAM);
  expect(stripAnsi(run.raw())).not.toMatch(SECRET_IN_STREAM);
}

describe('demo flows in a real terminal', () => {
  it('trailing-newline: the line break in .env is the cause; report saved; exit 0', async () => {
    const r = await flow('trailing-newline', []);
    expect(r.exitCode).toBe(0);
    expect(r.all).toContain('Demo: A line break pasted into the key');
    expect(r.all).toMatch(/✗ Key format: The key contains whitespace, quotes or invisible characters/);
    expect(r.all).toContain('(key.whitespace)');
    // The visible screen at the end: the verdict names the cause, and where the report went.
    const flat = r.screen.replace(/\s+/g, ' ');
    expect(flat).toContain('PROBLEM: The key contains whitespace');
    expect(flat).toContain(`Report saved: ${r.report}`);
    const md = await expectReport(r.report);
    expect(md).toContain('key.whitespace');
    expectNoSecret(r.run);
  });

  it('revoked-key: rejected by the API, with rotation advice; report saved; exit 0', async () => {
    const r = await flow('revoked-key', [['When was it created?', [KEYS.enter]]]); // Earlier / not sure
    expect(r.exitCode).toBe(0);
    expect(r.all).toMatch(/✗ Activation: The API rejects this key/);
    expect(r.all).toMatch(/request-id req_/);
    expect(r.all).toContain('→ Create a new key');
    expect(r.all).toContain('Revoke the old key');
    const flat = r.screen.replace(/\s+/g, ' ');
    expect(flat).toContain('PROBLEM: The API rejects this key');
    expect(flat).toContain(`Report saved: ${r.report}`);
    const md = await expectReport(r.report);
    expect(md).toContain('key.invalid');
    expectNoSecret(r.run);
  });

  it('new-key: the key becomes active during the wait; report saved; exit 0', async () => {
    const r = await flow('new-key', [
      ['When was it created?', [KEYS.down, KEYS.enter]], // In the last 15 minutes
      ['Wait and re-check?', [KEYS.down, KEYS.enter]], // up to 2 minutes
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.all).toMatch(/✓ Activation: .*became active after/);
    const md = await expectReport(r.report);
    expect(md).toContain('key.not_yet_active');
    // The wait was on screen with its countdown and the first attempt's answer.
    expect(r.run.raw()).toContain('Waiting for the key to activate');
    expect(stripAnsi(r.run.raw())).toMatch(/attempt 1: 401 [^\n]*request-id req_/);
    expectNoSecret(r.run);
  });

  it(
    'sdk-upgrade-gateway: SDK 1.x sends Bearer to a gateway that reads only x-api-key ' + '→ header.bearer; exit 0',
    async () => {
      const r = await flow('sdk-upgrade-gateway', []);
      expect(r.exitCode).toBe(0);
      // The client was read from the project, with the header it really sends.
      expect(r.all).toMatch(/@anthropic-ai\/sdk 1\.12\.0/);
      expect(r.all).toContain('(header.bearer)');
      expect(r.all).toContain('(endpoint.gateway_response)');
      const flat = r.screen.replace(/\s+/g, ' ');
      expect(flat).toContain('PROBLEM: An API key is sent as Authorization: Bearer to a server that wants x-api-key');
      const md = await expectReport(r.report);
      expect(md).toMatch(/Authorization: Bearer/);
      expect(md).toContain('2026-10-21');
      expectNoSecret(r.run);
    },
  );

  it('Ctrl-C during the activation wait: exit 130, no report file left, terminal restored', async () => {
    const run = demo('new-key');
    let exit: { exitCode: number } | null = null;
    void run.exited.then((e) => (exit = e));
    await answerAll(
      run,
      [['When was it created?', [KEYS.down, KEYS.enter]], ['Wait and re-check?', [KEYS.down, KEYS.enter]], ...COMMON],
      () => exit !== null || run.screen().includes('Waiting for the key to activate'),
    );
    await until(() => run.screen().includes('Waiting for the key to activate'), run.screen);
    run.write(KEYS.ctrlC);
    const { exitCode } = await run.exited;
    expect(exitCode).toBe(130);
    expect(run.screen()).toContain('Stopped. Nothing was saved.');
    expect((await readdir(dir)).filter((f) => f !== 'home')).toEqual([]);
    const raw = run.raw();
    expect(raw.lastIndexOf('\u001b[?25h')).toBeGreaterThan(raw.lastIndexOf('\u001b[?25l'));
    expectNoSecret(run);
  });
});
