// Keys that arrive together in one read of the terminal are each applied, in order (cli-contract:
// "↓ then Enter selects the second choice, never the first"). The built CLI in a real PTY, against
// emulators on 127.0.0.1: the API, and a second one standing in for the user's ANTHROPIC_BASE_URL,
// which records whether the key was sent to it.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emulatorKey } from '../../source/emulator/index.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { type Box } from '../helpers/box.js';
import { KEYS, runCli, SECRET_IN_STREAM, type Run } from './pty.js';
import { ptySuite } from './suite.js';
import { downEnter, enterOnly, walk } from './walk.js';

const { box, emulator, track } = ptySuite('c401-keys-');

/** The second choice of each select question, as the wizard offers them (written out here, not imported). */
const SECOND: Record<string, string> = {
  client: 'Claude Code',
  runs_elsewhere: 'Here, from this terminal',
  subscription: 'Yes',
  key_age: 'In the last 15 minutes',
  wait: 'Yes, re-check for up to 2 minutes',
  console_status: 'Listed, active',
  provider: 'The Anthropic API (a Console key or a Claude login)',
  probe_base_url: 'Yes, probe it',
};

/** The "Your answers" section of a report: question id by its prompt → the answer given. */
function answersIn(md: string): string[] {
  const part = md.split('## Your answers')[1]?.split('\n## ')[0] ?? '';
  return part.split('\n').filter((l) => l.startsWith('- '));
}

function wizard(b: Box, args: string[], env: Record<string, string>, cols = 100): Run {
  const run = runCli(args, { cwd: b.cwd, home: b.home, env, cols, rows: 50 });
  track(run);
  return run;
}

describe('↓ and Enter in ONE write, at every question that has a default', () => {
  it('a working key and a base URL: each choice is the second one; the consent "Yes" sends the key there', async () => {
    const key = emulatorKey();
    const api = await emulator([key]);
    const gateway = await emulator([key]);
    const b = box();
    const report = b.path('report.md');
    const run = wizard(b, ['--api-url', api.url, '--report', report], {
      ANTHROPIC_API_KEY: key.value,
      ANTHROPIC_BASE_URL: gateway.url,
    });
    const w = await walk(run, downEnter);
    const selects = w.asked.filter((a) => a.kind === 'select').map((a) => a.id);
    expect(selects).toEqual(expect.arrayContaining(['client', 'runs_elsewhere', 'provider', 'probe_base_url']));
    const answers = answersIn(readFileSync(report, 'utf8')).join('\n');
    for (const id of selects) {
      if (!(id in SECOND)) continue;
      expect(answers, `${id}: the second choice`).toContain(`**${SECOND[id]}**`);
    }
    // Consent given (the second choice): the key went to the base URL.
    expect(gateway.requests.length).toBeGreaterThan(0);
    expect(run.raw()).not.toMatch(SECRET_IN_STREAM);
  }, 60_000);

  it('the same setup, Enter alone at the consent question: the key never reaches the base URL', async () => {
    const key = emulatorKey();
    const api = await emulator([key]);
    const gateway = await emulator([key]);
    const b = box();
    const run = wizard(b, ['--api-url', api.url, '--report', b.path('r.md')], {
      ANTHROPIC_API_KEY: key.value,
      ANTHROPIC_BASE_URL: gateway.url,
    });
    const w = await walk(run, (q) => (q.id === 'probe_base_url' ? KEYS.enter : downEnter(q)));
    expect(w.asked.map((a) => a.id)).toContain('probe_base_url');
    expect(gateway.requests).toEqual([]);
  }, 60_000);

  it('a rejected key: key age, the wait (then Esc), the Console question — each the second choice', async () => {
    const api = await emulator([emulatorKey()]);
    const b = box();
    const report = b.path('report.md');
    const run = wizard(b, ['--api-url', api.url, '--report', report], { ANTHROPIC_API_KEY: fakeKey('api') });
    const w = await walk(run, downEnter);
    const ids = w.asked.map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining(['key_age', 'wait', 'wait_panel', 'console_status']));
    const answers = answersIn(readFileSync(report, 'utf8')).join('\n');
    for (const id of ['key_age', 'wait', 'console_status'])
      expect(answers, `${id}: the second choice`).toContain(`**${SECOND[id]}**`);
  }, 60_000);

  it('three arrows in one write move three rows (the fourth program: curl)', async () => {
    const key = emulatorKey();
    const api = await emulator([key]);
    const b = box();
    const report = b.path('report.md');
    const run = wizard(b, ['--api-url', api.url, '--report', report], { ANTHROPIC_API_KEY: key.value });
    await walk(run, (q) => (q.id === 'client' ? KEYS.down.repeat(3) + KEYS.enter : enterOnly(q)));
    expect(answersIn(readFileSync(report, 'utf8')).join('\n')).toContain('**curl or another HTTP tool**');
  }, 60_000);
});

describe('the save prompt', () => {
  async function toSavePrompt(keys: string) {
    const key = emulatorKey();
    const api = await emulator([key]);
    const b = box();
    const run = wizard(b, ['--api-url', api.url], { ANTHROPIC_API_KEY: key.value });
    const w = await walk(run, (q) => (q.id === 'save' ? keys : enterOnly(q)));
    return { b, run, w };
  }

  it('↓↓ and Enter in one write: "Don\'t save" — no file, the verdict\'s exit code', async () => {
    const { b, run, w } = await toSavePrompt(KEYS.down + KEYS.down + KEYS.enter);
    expect(w.asked.at(-1)!.id).toBe('save');
    expect(w.exitCode).toBe(0);
    expect(run.screen()).toContain('No report saved.');
    expect(readdirReports(b)).toEqual([]);
  }, 60_000);

  it("q at the save prompt after a finished diagnosis: the verdict's exit code, not 130", async () => {
    const { b, run, w } = await toSavePrompt('q');
    expect(w.exitCode).toBe(0);
    expect(run.screen()).toContain('No report saved.');
    expect(readdirReports(b)).toEqual([]);
  }, 60_000);
});

describe('where the report goes', () => {
  it(
    'in a git work tree, Enter saves to the home directory, named on screen; ' + '~/Desktop (missing) is an error',
    async () => {
      const key = emulatorKey();
      const api = await emulator([key]);
      const b = box();
      b.write('.git/HEAD', 'ref: refs/heads/main\n');
      const run = wizard(b, ['--api-url', api.url], { ANTHROPIC_API_KEY: key.value });
      let saves = 0;
      const w = await walk(run, (q) => {
        if (q.id === 'save') return saves++ === 0 ? KEYS.down + KEYS.enter : KEYS.enter;
        if (q.id === 'path') return '~/Desktop' + KEYS.enter;
        return enterOnly(q);
      });
      expect(w.exitCode).toBe(0);
      // What was on screen at each question, and at the end.
      const screen = [...w.asked.map((a) => a.screen), run.screen()].join('\n').replace(/\s+/g, ' ');
      expect(screen).toContain('~/Desktop: no such directory');
      expect(screen).toMatch(/Save to ~\/claude-401-report-\S+\.md \(not in this project: it is a git work tree\)/);
      expect(screen).toMatch(/Report saved: ~\/claude-401-report-\S+\.md/);
      expect(readdirSync(b.cwd).filter((f) => f.endsWith('.md'))).toEqual([]);
      expect(readdirSync(b.home).filter((f) => f.endsWith('.md'))).toHaveLength(1);
      expect(readdirSync(b.home)).not.toContain('Desktop');
    },
    60_000,
  );
});

function readdirReports(b: Box): string[] {
  const list = (d: string) => readdirSync(d).filter((f) => f.endsWith('.md'));
  return [...list(b.cwd), ...list(b.home)];
}
