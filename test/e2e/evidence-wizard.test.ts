// Issue 17, rules 1-3 in the wizard: the BUILT CLI in a real pseudo-terminal (CI=false) against
// the embedded emulator. Each choice is picked by its label (not by counting arrow presses), so
// the tests hold whatever order the questions list their choices in.
import { describe, expect, it } from 'vitest';
import { emulatorKey, type Emulator } from '../../source/emulator/index.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { box, closedPort, emulator, type Box } from './check-harness.js';
import { KEYS, requireBuild, runCli, SECRET_IN_STREAM, tick, until, type Run } from './pty.js';

requireBuild();

/** How a question is answered: a choice by (part of) its label, or keys to type. */
type Answer = { choose: string } | { type: string[] };
const choose = (label: string): Answer => ({ choose: label });
const type = (...keys: string[]): Answer => ({ type: keys });

/** The hints under a question that waits for input (as test/e2e/pty.ts reads them). */
const QUESTION_READY =
  /(↑↓ and Enter ·|Arrows and Enter ·|Enter submits|an empty line finishes|Not shown while you type|Enter saves)/;
const TEXT_LIKE = /(Enter submits|an empty line finishes|Not shown while you type)/;
const POINTER = '❯';

/** Answers that add no assumption, for the questions a case does not care about. */
const NEUTRAL: [string, Answer][] = [
  ['Paste the error you saw', type(KEYS.enter)],
  ['Where does the failing program run?', choose('Here, from this terminal')],
  ['Claude Pro or Max', choose('Not sure')],
  ['When was it created?', choose('Earlier')],
  ['Wait and re-check?', choose('No')],
  ['Which model do you call?', type(KEYS.enter)],
  ['Paste an Admin API key', type(KEYS.enter)],
  ['In the Console', choose('Skip')],
  ['Which workspace should it belong to', type(KEYS.enter)],
  ['Where do you mean to send requests?', choose('The Anthropic API')],
  ['Save a report?', choose("Don't save")],
];

async function press(run: Run, key: string): Promise<void> {
  const before = run.raw().length;
  run.write(key);
  const deadline = Date.now() + 2000;
  while (run.raw().length === before && Date.now() < deadline) await tick(10);
  await tick();
}

/** Moves the pointer to the choice whose line contains `label`, then Enter. */
async function pick(run: Run, prompt: string, label: string): Promise<void> {
  for (let moves = 0; moves < 12; moves++) {
    const lines = run.screen().split('\n');
    const from = lines.map((l) => l.includes(prompt)).lastIndexOf(true);
    const below = lines.slice(from + 1);
    const at = below.findIndex((l) => l.trimStart().startsWith(POINTER));
    const want = below.findIndex((l) => l.includes(label));
    if (want === -1 || at === -1) throw new Error(`no choice "${label}" under "${prompt}":\n${run.screen()}`);
    if (want === at) return press(run, KEYS.enter);
    await press(run, want > at ? KEYS.down : KEYS.up);
  }
  throw new Error(`could not reach "${label}":\n${run.screen()}`);
}

/** Answers each question as it comes (the lowest prompt on screen is the one asked) until exit. */
async function drive(run: Run, answers: [string, Answer][]): Promise<{ exitCode: number }> {
  let exit: { exitCode: number } | null = null;
  void run.exited.then((e) => (exit = e));
  let last: string | null = null;
  for (;;) {
    const next = await until(
      () => {
        if (exit) return 'done' as const;
        const live = run
          .screen()
          .split('\n')
          .filter((l) => !l.trimStart().startsWith('›'));
        if (last && !live.some((l) => l.includes(last!))) last = null;
        if (!live.some((l) => QUESTION_READY.test(l))) return null;
        for (let i = live.length - 1; i >= 0; i--) {
          const hit = answers.find(([prompt]) => live[i]!.includes(prompt));
          if (hit) return hit[0] === last ? null : hit;
        }
        return live.some((l) => TEXT_LIKE.test(l))
          ? (['', type(KEYS.enter)] as [string, Answer])
          : ('unknown' as const);
      },
      () => run.screen(),
      25_000,
    );
    if (next === 'done') return exit!;
    if (next === 'unknown') throw new Error(`a question this test does not expect:\n${run.screen()}`);
    const [prompt, answer] = next;
    await tick();
    if ('choose' in answer) await pick(run, prompt, answer.choose);
    else for (const k of answer.type) await press(run, k);
    last = prompt || null;
  }
}

function wizard(b: Box, args: string[], env: Record<string, string>): Run {
  return runCli(args, { cwd: b.cwd, home: b.home, env, cols: 160, rows: 60 });
}

/** The whole session as one line of text (scrollback and screen). */
const flat = (run: Run) => run.all().replace(/\s+/g, ' ');

function expectNoRotation(run: Run): void {
  expect(flat(run)).not.toMatch(/revoke|rotate|create a new key/i);
  expect(run.all()).not.toContain('(key.invalid)');
}

function expectNoSecret(run: Run): void {
  expect(run.raw()).not.toMatch(SECRET_IN_STREAM);
}

const sentOnce = (emu: Emulator, value: string) =>
  emu.requests.filter(
    (q) =>
      q.method === 'GET' &&
      q.path === '/v1/models' &&
      (q.headers['x-api-key'] === value || q.headers.authorization === `Bearer ${value}`),
  ).length;

describe.concurrent('the wizard in a real terminal obeys the live answer (issue 17, rules 1-3)', () => {
  it('rule 1: the API accepts the key, the server at ANTHROPIC_BASE_URL refuses it → about that server, no rotation', async () => {
    const b = box();
    const k = emulatorKey();
    const api = await emulator({ keys: [k] });
    const other = await emulator({ keys: [emulatorKey()] });
    const run = wizard(b, ['--api-url', api.url], { ANTHROPIC_API_KEY: k.value, ANTHROPIC_BASE_URL: other.url });
    const { exitCode } = await drive(run, [
      ['Which program gets the 401?', choose('Claude Code')],
      ['Send the key there too', choose('Yes')],
      ...NEUTRAL,
    ]);
    expect(exitCode, run.screen()).toBe(1);
    expect(run.all()).toContain('(endpoint.base_url)');
    expect(flat(run)).toMatch(/PROBLEM: [^\n]*unset ANTHROPIC_BASE_URL/);
    expect(flat(run)).toContain(new URL(other.url).host);
    expectNoRotation(run);
    expectNoSecret(run);
  });

  it('rule 1: a pasted "invalid x-api-key" while the key found here is accepted → no key.invalid, no rotation', async () => {
    const b = box();
    const k = emulatorKey();
    const api = await emulator({ keys: [k] });
    const pasted =
      '401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},' +
      '"request_id":"req_011CPastedRequestId000001"}';
    const run = wizard(b, ['--api-url', api.url], { ANTHROPIC_API_KEY: k.value });
    const { exitCode } = await drive(run, [
      ['Which program gets the 401?', choose('curl')],
      ['Paste the error you saw', type(pasted, KEYS.enter, KEYS.enter)],
      ...NEUTRAL,
    ]);
    expect(exitCode, run.screen()).toBe(0);
    expect(flat(run)).toMatch(/OK: .*One thing to look at: the failing program does not send the key found here/);
    expectNoRotation(run);
    expectNoSecret(run);
  });

  it('rule 2: ANTHROPIC_BASE_URL at a closed port, Enter-level answers (no consent) → endpoint.base_url, PROBLEM, exit 1', async () => {
    const b = box();
    const k = emulatorKey();
    const api = await emulator({ keys: [k] });
    const dead = `127.0.0.1:${await closedPort()}`;
    const run = wizard(b, ['--api-url', api.url], { ANTHROPIC_API_KEY: k.value, ANTHROPIC_BASE_URL: `http://${dead}` });
    const { exitCode } = await drive(run, [
      ['Which program gets the 401?', choose('Claude Code')],
      ['Send the key there too', choose('No')],
      ...NEUTRAL,
    ]);
    expect(exitCode, run.screen()).toBe(1);
    expect(run.all()).toContain('(endpoint.base_url)');
    expect(flat(run)).toMatch(/✗ Provider/);
    expect(flat(run)).toMatch(/PROBLEM: [^\n]*unset ANTHROPIC_BASE_URL/);
    expect(flat(run)).toContain(dead);
    expect(run.all()).not.toMatch(/curl [^\n]*https:\/\/api\.anthropic\.com/);
    expectNoSecret(run);
  });

  it('rule 3: the environment key is rejected and ~/.bashrc line 3 holds one that works → both tried, the working one named first', async () => {
    const b = box();
    const good = emulatorKey();
    const bad = fakeKey('api');
    const api = await emulator({ keys: [good] });
    b.write('~/.bashrc', `# shell\nexport PATH="$PATH:$HOME/bin"\nexport ANTHROPIC_API_KEY=${good.value}\n`);
    const run = wizard(b, ['--api-url', api.url], { ANTHROPIC_API_KEY: bad });
    const { exitCode } = await drive(run, [['Which program gets the 401?', choose('Claude Code')], ...NEUTRAL]);
    expect(exitCode, run.screen()).toBe(1);
    expect(sentOnce(api, good.value)).toBe(1);
    expect(sentOnce(api, bad)).toBe(1);
    expect(flat(run)).toMatch(/PROBLEM: A key that works is in file:~\/\.bashrc:3/);
    expect(flat(run)).toMatch(/What to do: 1\. unset ANTHROPIC_API_KEY/);
    expectNoSecret(run);
  });
});
