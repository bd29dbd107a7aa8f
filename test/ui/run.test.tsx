// runWizard on a fake TTY pair whose output a headless xterm renders: what the person sees at
// 40 and at 200 columns, colour or not, and how q / Ctrl-C end the run and restore the terminal.
import { afterEach, describe, expect, it } from 'vitest';
import type { Look } from '../../source/core/present.js';
import { emulatorKey } from '../../source/emulator/index.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { runWizard } from '../../source/ui/run.js';
import { emulator, envCandidate, fakeSession, FakeTerminal, KEYS, tick, until, type FakeSession } from './harness.js';

const terminals: FakeTerminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.dispose();
});

function start(session: FakeSession, look: Look, cols: number, rows = 30) {
  const t = new FakeTerminal(cols, rows);
  terminals.push(t);
  const done = runWizard({
    session,
    look,
    stdin: t.stdin as unknown as NodeJS.ReadStream,
    stdout: t.stdout as unknown as NodeJS.WriteStream,
    stderr: t.stdout as unknown as NodeJS.WriteStream,
    reportPath: null,
    cwd: '/nonexistent-dir-for-reports',
  });
  return { t, done };
}

/** Waits for `text` on the screen (joined over wrapped lines), then sends the keys. */
async function on(t: FakeTerminal, text: string, ...keys: string[]): Promise<void> {
  const flat = () => t.screen().replace(/\s+/g, ' ');
  await until(
    () => flat().includes(text),
    () => t.screen(),
  );
  await tick();
  for (const k of keys) {
    // Wait for the frame the key causes (Ink writes it after React's effects ran), then settle.
    const before = t.raw.length;
    t.press(k);
    const deadline = Date.now() + 1000;
    while (t.raw.length === before && Date.now() < deadline) await tick(5);
    await tick();
  }
}

async function revokedFlow(look: Look, cols: number) {
  const revoked = fakeKey('api');
  const api = await emulator({ keys: [emulatorKey()] });
  const session = fakeSession({ apiUrl: api.url, candidates: [envCandidate('ANTHROPIC_API_KEY', revoked)] });
  const { t, done } = start(session, look, cols);
  await on(t, 'Which program gets the 401?', KEYS.down, KEYS.down, KEYS.down, KEYS.enter);
  await on(t, 'Paste the error you saw', KEYS.enter);
  await on(t, 'Where does the failing program run?', KEYS.down, KEYS.enter);
  await on(t, 'When was it created?', KEYS.enter);
  await on(t, 'Paste an Admin API key', KEYS.enter);
  await on(t, 'In the Console', KEYS.enter);
  await on(t, 'Where do you mean to send requests?', KEYS.down, KEYS.enter);
  await on(t, 'Save a report?', KEYS.down, KEYS.down, KEYS.enter);
  const result = await done;
  await t.flush();
  return { t, result, revoked };
}

const SGR_COLOUR = /\u001b\[(?:3[0-7]|9[0-7]|38;[0-9;]+)m/;

describe('looks', () => {
  it('40 columns, ASCII, no colour: every line fits, each step once, words intact, no colour codes', async () => {
    const { t, result, revoked } = await revokedFlow({ unicode: false, color: false }, 40);
    expect(result.exitCode).toBe(1);
    const lines = t.lines();
    const text = lines.join('\n');
    // What Ink wrote, line by line: never wider than the terminal.
    const written = t.raw.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').split(/\r?\n/);
    expect(written.filter((l) => l.length > 40)).toEqual([]);
    // Ink wrapped to 40 itself: the terminal never had to (a frame wrapped by the terminal would
    // be erased wrongly and leave half-lines behind, visible as repeated or broken lines).
    for (const step of ['Key format', 'Activation', 'Header', 'Scope', 'Workspace', 'Provider']) {
      expect(
        lines.filter((l) => new RegExp(`^\\[(ok|warn|FAIL|skip)\\] ${step}:`).test(l)),
        step,
      ).toHaveLength(1);
    }
    expect(text).toContain('[FAIL] Activation: The API rejects');
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('PROBLEM: The API rejects this key (invalid, revoked or deleted)');
    expect(flat).toContain(`sk-ant-api03-...${revoked.slice(-4)} (108 chars)`);
    expect(flat).toContain('-> Create a new key');
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    expect(t.raw).not.toMatch(SGR_COLOUR);
    expect(t.raw).not.toContain(revoked.slice(13, 21));
  });

  it('200 columns, Unicode, colour: coloured marks next to the symbols', async () => {
    const { t, result } = await revokedFlow({ unicode: true, color: true }, 200);
    expect(result.exitCode).toBe(1);
    expect(t.text()).toMatch(/^✗ Activation: The API rejects this key \(invalid, revoked or deleted\)$/m);
    expect(t.raw).toContain('\u001b[31m✗\u001b[39m');
  });
});

describe('quitting', () => {
  async function quitWith(key: string) {
    const api = await emulator({ keys: [emulatorKey()] });
    const session = fakeSession({ apiUrl: api.url, candidates: [envCandidate('ANTHROPIC_API_KEY', fakeKey('api'))] });
    const { t, done } = start(session, { unicode: true, color: true }, 80);
    await on(t, 'Which program gets the 401?', KEYS.down, KEYS.down, KEYS.down, KEYS.enter);
    await on(t, 'Paste the error you saw', KEYS.enter);
    await on(t, 'Where does the failing program run?', key);
    const result = await done;
    await t.flush();
    return { t, result };
  }

  it.each([
    ['q', 'q'],
    ['Ctrl-C', KEYS.ctrlC],
  ])('%s ends with 130, raw mode off and the cursor shown', async (_name, key) => {
    const { t, result } = await quitWith(key);
    expect(result).toEqual({ exitCode: 130, diagnosis: null, reportPath: null });
    expect(t.stdin.rawModes[0]).toBe(true);
    expect(t.stdin.rawModes[t.stdin.rawModes.length - 1]).toBe(false);
    expect(t.raw.lastIndexOf('\u001b[?25h')).toBeGreaterThan(t.raw.lastIndexOf('\u001b[?25l'));
    expect(t.screen()).toContain('Stopped. Nothing was saved.');
  });
});
