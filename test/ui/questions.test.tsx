// Each question kind, rendered by QuestionView with ink-testing-library.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { QUESTIONS, type Question } from '../../source/core/machine.js';
import { createRedactor } from '../../source/core/redact.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { QuestionView } from '../../source/ui/components/QuestionView.js';
import { UiContext } from '../../source/ui/context.js';
import { HOME, KEYS, send, tick } from './harness.js';

afterEach(() => cleanup());

const LOOK = { unicode: true, color: false };

function ask(question: Question, secrets: string[] = []) {
  const answers: string[] = [];
  let skips = 0;
  const redact = createRedactor({ secrets, home: HOME });
  const r = render(
    <UiContext.Provider value={{ look: LOOK, redact }}>
      <QuestionView question={question} canGoBack onAnswer={(v) => answers.push(v)} onSkip={() => skips++} />
    </UiContext.Provider>,
  );
  return { ...r, answers, skips: () => skips, allFrames: () => r.frames.join('\n') };
}

describe('select', () => {
  it('shows the prompt and choices; arrow down and Enter pick the second', async () => {
    const q = ask(QUESTIONS.client());
    expect(q.lastFrame()).toContain('Which program gets the 401?');
    expect(q.lastFrame()).toContain('❯ Not sure — check each of them');
    await tick();
    await send(q, KEYS.down);
    expect(q.lastFrame()).toContain('❯ Claude Code');
    await send(q, KEYS.down);
    expect(q.lastFrame()).toContain('❯ My code, with an Anthropic SDK');
    await send(q, KEYS.enter);
    expect(q.answers).toEqual(['sdk']);
  });

  it('ASCII look: a ">" pointer', () => {
    const redact = (t: string) => t;
    const r = render(
      <UiContext.Provider value={{ look: { unicode: false, color: false }, redact }}>
        <QuestionView
          question={QUESTIONS.key_age()}
          canGoBack={false}
          onAnswer={() => undefined}
          onSkip={() => undefined}
        />
      </UiContext.Provider>,
    );
    expect(r.lastFrame()).toContain('> Earlier / not sure');
    expect(r.lastFrame()).not.toMatch(/[❯↑↓]/);
  });
});

describe('text', () => {
  it('takes a line and submits it on Enter', async () => {
    const q = ask(QUESTIONS.model());
    await tick();
    await send(q, 'claude-sonnet-4-5');
    expect(q.lastFrame()).toContain('claude-sonnet-4-5');
    await send(q, KEYS.enter);
    expect(q.answers).toEqual(['claude-sonnet-4-5']);
  });

  it('Enter on an empty field skips', async () => {
    const q = ask(QUESTIONS.model());
    await tick();
    await send(q, KEYS.enter);
    expect(q.answers).toEqual([]);
    expect(q.skips()).toBe(1);
  });

  it('a key typed into a text field is shown redacted, never as typed', async () => {
    const key = fakeKey('api');
    const q = ask(QUESTIONS.model());
    await tick();
    await send(q, key);
    expect(q.allFrames()).not.toContain(key.slice(20, 40));
    expect(q.lastFrame()).toContain(`…${key.slice(-4)} (108 chars)`);
    await send(q, KEYS.enter);
    expect(q.answers).toEqual([key]);
  });
});

describe('multiline paste', () => {
  it(
    'accepts a paste arriving in chunks with \\r and \\n, ' +
      'shows it redacted and cut short, finishes on an empty line',
    async () => {
      const key = fakeKey('api');
      const q = ask(QUESTIONS.error(), [key]);
      await tick();
      const lines = [
        'anthropic.AuthenticationError: Error code: 401',
        `- {'type': 'error', 'error': {'type': 'authentication_error', 'message': 'invalid x-api-key'}}`,
        `used key ${key}`,
        'line 4',
        'line 5',
        'line 6',
      ];
      await send(q, lines.slice(0, 2).join('\r') + '\r');
      await send(q, lines.slice(2).join('\n') + '\n');
      const frame = q.lastFrame()!;
      expect(frame).toContain('anthropic.AuthenticationError: Error code: 401');
      expect(frame).toContain(`…${key.slice(-4)} (108 chars)`);
      expect(frame).toMatch(/… 2 more lines/);
      expect(frame).not.toContain('line 6');
      expect(q.allFrames()).not.toContain(key.slice(20, 40));
      expect(q.answers).toEqual([]);
      await send(q, KEYS.enter);
      // The machine gets the whole text (it parses and redacts it itself).
      expect(q.answers).toEqual([lines.join('\n')]);
    },
  );

  it('Enter on the empty field skips', async () => {
    const q = ask(QUESTIONS.error());
    await tick();
    await send(q, KEYS.enter);
    expect(q.skips()).toBe(1);
  });

  it('Ctrl-D finishes', async () => {
    const q = ask(QUESTIONS.error());
    await tick();
    await send(q, '401 invalid x-api-key');
    await send(q, KEYS.ctrlD);
    expect(q.answers).toEqual(['401 invalid x-api-key']);
  });
});

describe('secret', () => {
  const SECRET: Question = QUESTIONS.paste_key('https://api.anthropic.com');

  /** Types `value` one character at a time; returns the frames after each. */
  async function typeSlowly(value: string) {
    const q = ask(SECRET);
    await tick();
    const frames: string[] = [];
    for (const ch of value) {
      q.stdin.write(ch);
      await tick(2);
      frames.push(q.lastFrame()!);
    }
    return { q, frames };
  }

  it('shows a fixed mask whatever the length, and never the typed value', async () => {
    const short = 'sk-ant-ab';
    const long = fakeKey('api');
    const a = await typeSlowly(short);
    const b = await typeSlowly(long);
    // The mask after 9 characters and after 108 is the same frame: the length does not show.
    expect(a.frames[a.frames.length - 1]).toBe(b.frames[b.frames.length - 1]);
    expect(a.frames[a.frames.length - 1]).toContain('••••••••');
    for (const f of [...a.q.frames, ...b.q.frames]) {
      expect(f).not.toContain('sk-ant-ab');
      expect(f).not.toContain(long.slice(13, 21));
    }
    await send(b.q, KEYS.enter);
    expect(b.q.answers).toEqual([long]);
  });

  it('a pasted key with its line break submits at once, without the line break', async () => {
    const key = fakeKey('api');
    const q = ask(SECRET);
    await tick();
    await send(q, `${key}\r`);
    expect(q.answers).toEqual([key]);
    expect(q.frames.join('\n')).not.toContain(key.slice(13, 21));
  });

  it('Enter on nothing skips', async () => {
    const q = ask(SECRET);
    await tick();
    await send(q, KEYS.enter);
    expect(q.skips()).toBe(1);
    expect(q.answers).toEqual([]);
  });
});
