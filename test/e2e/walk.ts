// Walks the wizard in a real terminal question by question, sending what `keysFor` says for each
// (all of it in ONE write to the terminal, as fast typing or a slow link delivers it).
import { KEYS, tick, until, type Run } from './pty.js';

/** Prompt fragments of the wizard's questions (the screen says these words; the test names them). */
export const PROMPTS: Record<string, string> = {
  client: 'Which program gets the 401?',
  error: 'Paste the error you saw',
  runs_elsewhere: 'Where does the failing program run?',
  subscription: 'Claude Pro or Max',
  paste_key: 'Paste the key to test',
  key_age: 'When was it created?',
  wait: 'Wait and re-check?',
  model: 'Which model do you call?',
  admin_key: 'Paste an Admin API key',
  workspace_expected: 'Which workspace should it',
  console_status: 'In the Console',
  provider: 'Where do you mean to send requests?',
  probe_base_url: 'Send the key there too',
  observe: 'Watch', // the observe helper's question ("Watch … locally?")
  save: 'Save a report?',
  path: 'File or folder',
};

export type Kind = 'select' | 'text' | 'wait';

export interface Asked {
  id: string;
  kind: Kind;
  /** The live screen when it was asked. */
  screen: string;
}

// Under a question: `↑↓ and Enter · …` (the intro's `↑↓ and Enter choose` is not a question).
const SELECT_HINT = /(↑↓|Arrows) and Enter( ·|\s*$)/;
const TEXT_HINT = /(Enter submits|an empty line finishes|Not shown while you type|Enter saves)/;
const WAIT_HINT = /Esc stops waiting/;

/** Screen lines that are not echoes of earlier answers (`  › prompt answer`). */
function live(screen: string): string[] {
  return screen.split('\n').filter((l) => !/^\s*(›|>) /.test(l));
}

/** The question on screen now: the lowest known prompt, and what kind of field it has. */
function current(run: Run): { id: string; kind: Kind } | null {
  const lines = live(run.screen());
  const text = lines.join('\n');
  if (WAIT_HINT.test(text)) return { id: 'wait_panel', kind: 'wait' };
  const kind: Kind | null = lines.some((l) => SELECT_HINT.test(l))
    ? 'select'
    : lines.some((l) => TEXT_HINT.test(l))
      ? 'text'
      : null;
  if (!kind) return null;
  for (let i = lines.length - 1; i >= 0; i--) {
    const hit = Object.entries(PROMPTS).find(([, p]) => lines[i]!.includes(p));
    if (hit) return { id: hit[0], kind };
  }
  return { id: 'unknown', kind };
}

/**
 * Answers every question until the program exits: `keysFor` gives the keys for a question (sent
 * in one write). Returns what was asked, in order. Fails on a question that stays unanswered.
 */
export async function walk(
  run: Run,
  keysFor: (q: { id: string; kind: Kind }) => string,
  budgetMs = 20_000,
): Promise<{ asked: Asked[]; exitCode: number; ms: number }> {
  const t0 = Date.now();
  let exit: { exitCode: number } | null = null;
  void run.exited.then((e) => (exit = e));
  const asked: Asked[] = [];
  let last: string | null = null;
  for (;;) {
    const q = await until(
      () => {
        if (exit) return 'exit' as const;
        const c = current(run);
        if (!c) return null;
        // The previous question must have left the screen first (one answer per question).
        if (c.id === last) return null;
        return c;
      },
      () => `${run.screen()}\n(asked so far: ${asked.map((a) => a.id).join(', ')})`,
      budgetMs,
    );
    if (q === 'exit') break;
    await tick(80);
    if (exit) break;
    asked.push({ ...q, screen: live(run.screen()).join('\n') });
    const keys = keysFor(q);
    if (keys !== '') run.write(keys);
    last = q.id;
  }
  const { exitCode } = await run.exited;
  return { asked, exitCode, ms: Date.now() - t0 };
}

/** ↓ then Enter in one write at every choice; Enter at every text field; Esc stops a wait. */
export const downEnter = (q: { kind: Kind }): string =>
  q.kind === 'select' ? KEYS.down + KEYS.enter : q.kind === 'wait' ? KEYS.esc : KEYS.enter;

/** Enter alone everywhere (the defaults); a wait (only ever started by a flag) runs to its end. */
export const enterOnly = (q: { kind: Kind }): string => (q.kind === 'wait' ? '' : KEYS.enter);
