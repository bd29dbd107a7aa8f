// Copyable commands and readable text: at 40 and at 200 columns, in `check` and in the wizard, every
// fix command stands whole on one line (the terminal may fold a long one, a copy gives it back
// whole: xterm marks the fold), never broken or indented mid-command; prose is wrapped by the
// program, so the only lines the terminal folds are commands. Colour where wanted, after
// redaction; ASCII where Unicode cannot show; --help fits 80 columns.
import { Terminal } from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { emulatorKey } from '../../source/emulator/index.js';
import { runCli as runPiped } from '../helpers/cli.js';
import { runCli } from './pty.js';
import { ptySuite } from './suite.js';
import { enterOnly, walk } from './walk.js';

const { box, emulator, track } = ptySuite('c401-copy-');

/** Lines as a copy from the terminal gives them back: folded rows joined, each with whether it was folded. */
async function logicalLines(raw: string, cols: number): Promise<{ text: string; folded: boolean }[]> {
  const term = new Terminal({ cols, rows: 50, scrollback: 5000, allowProposedApi: true });
  await new Promise<void>((r) => term.write(raw, r));
  const b = term.buffer.active;
  const out: { text: string; folded: boolean }[] = [];
  for (let i = 0; i < b.length; i++) {
    const line = b.getLine(i)!;
    const text = line.translateToString(true);
    if (line.isWrapped && out.length) {
      const last = out[out.length - 1]!;
      last.text += text;
      last.folded = true;
    } else out.push({ text, folded: false });
  }
  term.dispose();
  return out;
}

/**
 * The commands in fix lines (what follows "…: " or stands alone), as check --json gives them; the
 * screen shows each step once, so a command is taken without its trailing comment, and of two
 * exports of one variable the first.
 */
const COMMAND = /^(export|unset|npm|npx|curl|claude|echo|docker) /;
function commandsOf(fixes: string[]): string[] {
  const out = new Map<string, string>();
  for (const f of fixes) {
    if (f.includes('`') || /\.\s*$/.test(f)) continue;
    const cmd = COMMAND.test(f) ? f : /:\s+(\S.*)$/.exec(f)?.[1];
    if (!cmd || !COMMAND.test(cmd)) continue;
    const core = cmd.replace(/\s+#.*$/, '');
    const key = /^export (\w+)=/.exec(core)?.[1] ?? core;
    if (!out.has(key)) out.set(key, core);
  }
  return [...out.values()];
}

interface Doc {
  findings: { severity: string; fix: string[] }[];
}

function expectCopyable(lines: { text: string; folded: boolean }[], commands: string[], cols: number): void {
  expect(commands.length).toBeGreaterThan(0);
  for (const cmd of commands) {
    const home = lines.find((l) => l.text.includes(cmd));
    expect(home, `"${cmd}" whole on one line at ${cols} columns:\n${lines.map((l) => l.text).join('\n')}`).toBeTruthy();
    // A folded command starts at column 0: nothing of the layout is copied into it.
    if (home!.folded) expect(home!.text.startsWith(cmd), `folded "${cmd}" at column 0`).toBe(true);
  }
  // Prose is wrapped by the program: the terminal folds only commands.
  for (const l of lines.filter((x) => x.folded))
    expect(
      commands.some((c) => l.text.startsWith(c)),
      `a folded line that is not a command:\n${l.text}`,
    ).toBe(true);
}

describe.each([40, 200])('at %i columns', (cols) => {
  it('check: every fix command copyable, prose wrapped by the program', async () => {
    const key = emulatorKey();
    const api = await emulator([key]);
    const b = box();
    const env = { ANTHROPIC_AUTH_TOKEN: key.value };
    const doc = JSON.parse(
      (await runPiped(['check', '--json', '--api-url', api.url], { cwd: b.cwd, home: b.home, env })).stdout,
    ) as Doc;
    const run = runCli(['check', '--api-url', api.url], { cwd: b.cwd, home: b.home, env, cols, rows: 50 });
    track(run);
    await run.exited;
    const commands = commandsOf(doc.findings.filter((f) => f.severity !== 'info').flatMap((f) => f.fix));
    expectCopyable(await logicalLines(run.raw(), cols), commands, cols);
  }, 60_000);

  it('the wizard (demo bearer-header, Enter everywhere): every fix command on screen copyable', async () => {
    const b = box();
    const doc = JSON.parse(
      (await runPiped(['demo', 'bearer-header', '--json'], { cwd: b.cwd, home: b.home, timeoutMs: 30_000 })).stdout,
    ) as Doc;
    const run = runCli(['demo', 'bearer-header'], { cwd: b.cwd, home: b.home, cols, rows: 50 });
    track(run);
    await walk(run, (q) => (q.id === 'save' ? '\u001b[B\u001b[B\r' : enterOnly(q)));
    const commands = commandsOf(doc.findings.filter((f) => f.severity !== 'info').flatMap((f) => f.fix));
    expectCopyable(await logicalLines(run.raw(), cols), commands, cols);
  }, 60_000);
});

describe('colour and symbols of check', () => {
  const SGR_COLOR = /\u001b\[(3[0-7]|9[0-7]|38;)[0-9;]*m/;

  async function checkText(env: Record<string, string>, args: string[] = []) {
    const key = emulatorKey();
    const api = await emulator([key]);
    const b = box();
    return runPiped(['check', '--api-url', api.url, ...args], {
      cwd: b.cwd,
      home: b.home,
      env: { ANTHROPIC_AUTH_TOKEN: key.value, ...env },
    });
  }

  it(
    'piped: plain; FORCE_COLOR=1: coloured marks (colour survives redaction); ' + 'NO_COLOR or --no-color: none',
    async () => {
      expect((await checkText({})).stdout).not.toMatch(SGR_COLOR);
      const forced = (await checkText({ FORCE_COLOR: '1' })).stdout;
      expect(forced).toMatch(/\u001b\[31m✗\u001b\[39m Header/);
      expect(forced).toMatch(/\u001b\[32m✓\u001b\[39m Scope/);
      expect((await checkText({ FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toMatch(SGR_COLOR);
      expect((await checkText({ FORCE_COLOR: '1' }, ['--no-color'])).stdout).not.toMatch(SGR_COLOR);
    },
    60_000,
  );

  it('in a terminal: coloured; with NO_COLOR: not', async () => {
    const key = emulatorKey();
    const api = await emulator([key]);
    const b = box();
    for (const [env, coloured] of [
      [{}, true],
      [{ NO_COLOR: '1' }, false],
    ] as const) {
      const run = runCli(['check', '--api-url', api.url], {
        cwd: b.cwd,
        home: b.home,
        env: { ANTHROPIC_AUTH_TOKEN: key.value, ...env },
      });
      track(run);
      await run.exited;
      expect(SGR_COLOR.test(run.raw()), JSON.stringify(env)).toBe(coloured);
    }
  }, 60_000);

  it('LANG=C or TERM=dumb: ASCII only (no —, …, ≥, ✓)', async () => {
    for (const env of [{ LANG: 'C' }, { LANG: 'C.UTF-8', TERM: 'dumb' }] as Record<string, string>[]) {
      const r = await checkText(env);
      expect(r.stdout.length).toBeGreaterThan(200);
      expect(r.stdout, JSON.stringify(env)).toMatch(/^[\x20-\x7e\n]*$/);
    }
  }, 60_000);

  it('--help fits 80 columns (and is ASCII with LANG=C)', async () => {
    const b = box();
    const r = await runPiped(['--help'], { cwd: b.cwd, home: b.home, env: { LANG: 'C.UTF-8' } });
    for (const line of r.stdout.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
    const c = await runPiped(['--help'], { cwd: b.cwd, home: b.home, env: { LANG: 'C' } });
    expect(c.stdout).toMatch(/^[\x20-\x7e\n]*$/);
  });
});
