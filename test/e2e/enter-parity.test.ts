// Enter assumes nothing (cli-contract: "The wizard's defaults assume nothing"): pressing only Enter
// through the wizard ends, within 20 s and without starting a wait, with the same verdict and cause
// as `check` on the same setup. Every demo, and fixture setups against emulators on 127.0.0.1.
// The report each run saves (Enter at the save prompt) is read for its verdict and cause, and must
// pass the grammar check; its fix list must be ordered and hold each step once.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorKey, type Emulator } from '../../source/emulator/index.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { type Box } from '../helpers/box.js';
import { runCli as runPiped } from '../helpers/cli.js';
import { grammarProblems } from '../helpers/grammar.js';
import { runCli, SECRET_IN_STREAM } from './pty.js';
import { ptySuite } from './suite.js';
import { enterOnly, walk } from './walk.js';

const { box, emulator, track } = ptySuite('c401-parity-');

/** What differs between two runs of one setup: a demo's made-up key, request-ids, ports, times. */
const same = (s: string) =>
  s
    .replace(/(sk-ant-[a-z]+\d*-|[A-Za-z]{2,8}-)?…\S{4} \(\d+ chars\)/g, 'FP')
    .replace(/req_\w+/g, 'REQ')
    .replace(/127\.0\.0\.1:\d+/g, 'HOST')
    .replace(/\d+ s\b/g, 'N s');

/** Verdict and cause as the report's summary states them. */
function summaryOf(md: string): { verdict: string; cause: string } {
  const verdict = /\*\*Verdict:\*\* \S+ (OK|Problem|Inconclusive)/.exec(md)?.[1] ?? '?';
  const cause = /\*\*Most likely cause:\*\* (.*)/.exec(md)?.[1] ?? '?';
  return {
    verdict: { OK: 'ok', Problem: 'problem', Inconclusive: 'inconclusive' }[verdict] ?? verdict,
    cause: same(cause),
  };
}

/** The numbered "What to do, in order" list of the report's summary. */
function fixList(md: string): string[] {
  const part = md.split('**What to do, in order:**')[1]?.split('\n## ')[0] ?? '';
  return part
    .split('\n')
    .filter((l) => /^\d+\. /.test(l))
    .map((l) => l.replace(/^\d+\. /, ''));
}

/** The wizard with Enter everywhere; the report it saved at the default place. */
async function wizardWithEnter(b: Box, args: string[], env: Record<string, string>) {
  const run = runCli(args, { cwd: b.cwd, home: b.home, env, cols: 100, rows: 50 });
  track(run);
  const w = await walk(run, enterOnly, 20_000);
  const reports = [b.cwd, b.home].flatMap((d) =>
    readdirSync(d)
      .filter((f) => /^claude-401-report-.*\.md$/.test(f))
      .map((f) => join(d, f)),
  );
  expect(reports, run.all()).toHaveLength(1);
  const md = readFileSync(reports[0]!, 'utf8');
  expect(run.raw()).not.toMatch(SECRET_IN_STREAM);
  return { w, md, run };
}

function expectGoodReport(md: string): void {
  expect(grammarProblems(md)).toEqual([]);
  const fixes = fixList(md);
  expect(new Set(fixes).size, 'each step once').toBe(fixes.length);
  // In an order that works: nothing reads a variable after a step unsets it.
  fixes.forEach((line, i) => {
    const unset = /unset ([A-Z_]+)/.exec(line)?.[1];
    if (unset) for (const later of fixes.slice(i + 1)) expect(later, `after "${line}"`).not.toContain(`$${unset}`);
  });
}

const DEMOS = [
  'trailing-newline',
  'revoked-key',
  'bearer-header',
  'new-key',
  'disabled-org',
  'gateway-base-url',
  'sdk-upgrade-gateway',
  'credit-exhausted',
  'oauth-no-beta',
  'custom-key-variable',
];

describe('Enter everywhere = check', () => {
  it('demo --list names exactly the demos this test walks', async () => {
    const b = box();
    const r = await runPiped(['demo', '--list'], { cwd: b.cwd, home: b.home });
    const names = [...r.stdout.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]);
    expect(names).toEqual(DEMOS);
  });

  it.each(DEMOS)(
    'demo %s',
    async (name) => {
      const b = box();
      const headless = await runPiped(['demo', name, '--json'], { cwd: b.cwd, home: b.home, timeoutMs: 30_000 });
      const want = JSON.parse(headless.stdout) as { verdict: string; summary: string };
      const { w, md } = await wizardWithEnter(b, ['demo', name], {});
      expect(w.ms).toBeLessThan(20_000);
      // Only new-key waits: its setup gives --wait, as a person would (a default never starts one).
      if (name !== 'new-key') expect(w.asked.map((a) => a.id)).not.toContain('wait_panel');
      expect(summaryOf(md)).toEqual({ verdict: want.verdict, cause: same(want.summary) });
      expect(w.exitCode).toBe(headless.code);
      expectGoodReport(md);
    },
    60_000,
  );

  const FIXTURES: [string, (api: Emulator, key: string) => Record<string, string>][] = [
    ['a healthy key', (_api, key) => ({ ANTHROPIC_API_KEY: key })],
    ['a revoked key', () => ({ ANTHROPIC_API_KEY: fakeKey('api') })],
    ['a dead base URL', (_api, key) => ({ ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' })],
    ['an OAuth token where an API key belongs', () => ({ ANTHROPIC_API_KEY: fakeKey('oat') })],
  ];

  it.each(FIXTURES)(
    '%s',
    async (_name, envFor) => {
      const key = emulatorKey();
      const api = await emulator([key]);
      const env = envFor(api, key.value);
      const b = box();
      // Watching the installed clients is the wizard's default (Yes), so check watches them too.
      const headless = await runPiped(['check', '--json', '--observe-clients', '--api-url', api.url], {
        cwd: b.cwd,
        home: b.home,
        env,
        timeoutMs: 30_000,
      });
      const want = JSON.parse(headless.stdout) as { verdict: string; summary: string };
      const { w, md } = await wizardWithEnter(b, ['--api-url', api.url], env);
      expect(w.ms).toBeLessThan(20_000);
      expect(w.asked.map((a) => a.id)).not.toContain('wait_panel');
      expect(summaryOf(md)).toEqual({ verdict: want.verdict, cause: same(want.summary) });
      expect(w.exitCode).toBe(headless.code);
      expectGoodReport(md);
    },
    60_000,
  );
});
