// The built bundle as a user runs it: help, version, usage errors, the non-TTY fallback.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { requireBuild, runCli, sandbox } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };
let box: { home: string; cwd: string };

beforeAll(async () => {
  requireBuild();
  box = await sandbox();
});

describe('dist/cli.js', () => {
  it('--help groups the options, ends with examples, exits 0', async () => {
    const r = await runCli(['--help'], box);
    expect(r.code).toBe(0);
    for (const heading of ['Usage', 'What to diagnose', 'Live checks', 'Output', 'Exit codes', 'Examples'])
      expect(r.stdout).toContain(heading);
    for (const flag of [
      '--json',
      '--report',
      '--api-url',
      '--probe-base-url',
      '--no-network',
      '--client',
      '--error',
      '--error-file',
      '--key-env',
      '--project',
      '--model',
      '--key-age',
      '--wait',
      '--admin-key-env',
      '--provider',
      '--timeout',
      '--strict',
      '--no-color',
    ]) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout.trimEnd().split('\n').pop()).toMatch(/npx claude-401-wizard/);
  });

  it('--version and -v print the package version', async () => {
    for (const flag of ['--version', '-v']) {
      const r = await runCli([flag], box);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(pkg.version);
    }
  });

  it.each([
    [['--frobnicate'], /unknown option --frobnicate/],
    [['check', '--client', 'emacs'], /--client must be one of/],
    [['check', '--timeout', 'abc'], /--timeout takes milliseconds/],
    [['check', '--json', '--report', '-'], /--report -/],
    [['nonsense'], /unknown command/],
  ])('usage error %j: one line on stderr naming the flag, exit 2, no stack', async (argv, pattern) => {
    const r = await runCli(argv, box);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^claude-401-wizard: /);
    expect(lines[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing --error-file is a one-line usage error', async () => {
    const r = await runCli(['check', '--error-file', 'nope.txt', '--no-network'], box);
    expect(r.code).toBe(2);
    // At most 6 characters of the refused value (cli-contract.md: it may be a key typed in the wrong place).
    expect(r.stderr.trim()).toBe('claude-401-wizard: cannot read --error-file nope.t…: no such file');
  });

  it('without a TTY the wizard says so in one line and runs check (no Raw mode crash)', async () => {
    const r = await runCli(['--no-network'], { ...box, env: { CI: 'true' } });
    expect(r.stderr).not.toMatch(/Raw mode/i);
    expect(r.stderr.split('\n')[0]).toMatch(/running `check` instead/);
    // Nothing to find in an empty sandbox: key.missing is a problem (exit 1), not a doubt.
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/No credential found/);
  });

  it('check --json --no-network in an empty sandbox: key.missing, verdict problem, exit 1, JSON only on stdout', async () => {
    const r = await runCli(['check', '--json', '--no-network'], box);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.tool).toEqual({ name: 'claude-401-wizard', version: pkg.version });
    expect(doc.verdict).toBe('problem');
    expect(doc.credential).toBeNull();
    expect(doc.findings.map((f: { id: string }) => f.id)).toContain('key.missing');
    expect(doc.steps.map((s: { id: string }) => s.id)).toEqual([
      'key_format',
      'activation',
      'header',
      'scope',
      'workspace',
      'provider',
    ]);
    expect(doc.probes).toEqual([]);
  });
});
