// The App driving the real machine, with probes going to a real emulator (ink-testing-library).
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatorKey } from '../../source/emulator/index.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { App, type WizardResult } from '../../source/ui/App.js';
import { emulator, envCandidate, fakeSession, KEYS, send, tick, until, type FakeSession } from './harness.js';

const LOOK = { unicode: true, color: false };
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'c401-ui-'));
});
afterEach(async () => {
  cleanup();
  await rm(dir, { recursive: true, force: true });
});

type Mounted = ReturnType<typeof mount>;

function mount(session: FakeSession, o: { reportPath?: string | null } = {}) {
  let result: (WizardResult & { markdown?: string }) | null = null;
  const r = render(
    <App session={session} look={LOOK} reportPath={o.reportPath ?? null} cwd={dir} onDone={(x) => (result = x)} />,
  );
  return { ...r, result: () => result, all: () => r.frames.join('\n') };
}

/** The frame without lines that echo answers given earlier (`› prompt answer`). */
const live = (m: Mounted) =>
  (m.lastFrame() ?? '')
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('›'))
    .join('\n');

/** The key hints under a question; the intro's own line ("↑↓ and Enter choose") does not match. */
const READY = /(↑↓ and Enter ·|Enter submits|an empty line finishes|Not shown while you type|Enter saves)/;
const TEXT_LIKE = /(Enter submits|an empty line finishes|Not shown while you type)/;

/** Waits until `prompt` is the question on screen, then sends `keys`. */
async function answer(m: Mounted, prompt: string, keys: string | string[]): Promise<void> {
  await until(
    () => live(m).includes(prompt) && READY.test(live(m)),
    () => m.lastFrame() ?? '',
  );
  await tick();
  for (const k of Array.isArray(keys) ? keys : [keys]) await send(m, k);
}

type Answers = [string, string | string[]][];

/**
 * Answers questions until `stop()`: the first entry whose prompt is the lowest on screen wins
 * (so a flow's own answers go before DEFAULTS); an optional text question nobody listed is
 * skipped with Enter, a choice nobody listed fails the test (a new question deserves a look).
 */
async function answerAll(m: Mounted, answers: Answers, stop: () => boolean): Promise<void> {
  let last: string | null = null;
  for (;;) {
    const next = await until(
      () => {
        if (stop()) return 'stop' as const;
        const lines = live(m).split('\n');
        if (last && !lines.some((l) => l.includes(last!))) last = null;
        if (!lines.some((l) => READY.test(l))) return null;
        let hit: [string, string | string[]] | undefined;
        for (let i = lines.length - 1; i >= 0 && !hit; i--) hit = answers.find(([p]) => lines[i]!.includes(p));
        if (hit) return hit[0] === last ? null : hit;
        return lines.some((l) => TEXT_LIKE.test(l))
          ? (['(unlisted text question)', KEYS.enter] as [string, string])
          : ('unknown' as const);
      },
      () => m.lastFrame() ?? '',
    );
    if (next === 'stop') return;
    if (next === 'unknown') throw new Error(`a question this test does not know:\n${m.lastFrame()}`);
    await tick();
    for (const k of Array.isArray(next[1]) ? next[1] : [next[1]]) await send(m, k);
    last = next[0];
  }
}

async function finished(m: Mounted): Promise<WizardResult> {
  return until(
    () => m.result(),
    () => m.lastFrame() ?? '',
  );
}

const Q = {
  client: 'Which program gets the 401?',
  error: 'Paste the error you saw',
  where: 'Where does the failing program run?',
  keyAge: 'When was it created?',
  wait: 'Wait and re-check?',
  model: 'Which model do you call?',
  admin: 'Paste an Admin API key',
  console: 'In the Console',
  provider: 'Where do you mean to send requests?',
  pasteKey: 'Paste the key to test',
  save: 'Save a report?',
};
const SDK = [KEYS.down, KEYS.down, KEYS.enter];
const DONT_SAVE = [KEYS.down, KEYS.down, KEYS.enter];
/** Neutral answers to the questions a flow does not care about. */
const DEFAULTS: Answers = [
  [Q.error, KEYS.enter],
  [Q.where, [KEYS.down, KEYS.enter]], // Here, from this terminal
  ['Claude Pro or Max', [KEYS.down, KEYS.down, KEYS.enter]], // No, I use an API key
  [Q.console, KEYS.enter], // Skip / I don't know
  [Q.provider, [KEYS.down, KEYS.enter]], // The Anthropic API
  ['Send the key there too', [KEYS.down, KEYS.enter]], // Yes, probe it
];
/** curl: one client, so one credential form to probe (the SDK answer reasons about two). */
const CURL = [KEYS.down, KEYS.down, KEYS.down, KEYS.enter];

function noWindowOf(secret: string, text: string, prefix = 'sk-ant-api03-'): void {
  const body = secret.slice(prefix.length);
  for (let i = 0; i + 8 <= body.length; i++)
    expect(text.includes(body.slice(i, i + 8)), `8 characters of the secret at ${i}`).toBe(false);
}

describe('the wizard against the emulator', () => {
  it('a working key: the steps pass, OK, "Don\'t save" writes nothing, exit 0', async () => {
    const key = emulatorKey();
    const api = await emulator({ keys: [key] });
    const s = fakeSession({ apiUrl: api.url, candidates: [envCandidate('ANTHROPIC_API_KEY', key.value)] });
    const m = mount(s);
    expect(m.lastFrame()).toContain('Nothing is saved unless you say so');
    await answerAll(m, [[Q.client, SDK], [Q.save, DONT_SAVE], ...DEFAULTS], () => !!m.result());
    const r = await finished(m);
    expect(r.exitCode).toBe(0);
    expect(r.reportPath).toBeNull();
    const frame = m.lastFrame()!;
    expect(frame).toMatch(/✓ Key format: /);
    expect(frame).toMatch(/✓ Activation: .*accepted/);
    expect(frame).toContain('OK: The credential works');
    expect(frame).toContain('No report saved.');
    // Real probes went to the emulator with the key.
    expect(api.requests.some((q) => q.path === '/v1/models' && q.headers['x-api-key'] === key.value)).toBe(true);
    noWindowOf(key.value, m.all());
  });

  it(
    'a revoked key: the failure, its evidence and the rotation advice; ' +
      'the report saved where asked (0600); exit 1',
    async () => {
      const revoked = fakeKey('api');
      const api = await emulator({ keys: [emulatorKey()] });
      const s = fakeSession({ apiUrl: api.url, candidates: [envCandidate('ANTHROPIC_API_KEY', revoked)] });
      const m = mount(s);
      const target = join(dir, 'report.md');
      await answerAll(
        m,
        [
          [Q.client, SDK],
          // A pasted error in two chunks, holding the key: shown redacted, the whole text to the machine.
          [
            Q.error,
            [
              `anthropic.AuthenticationError: Error code: 401\r- ` +
                `{'type': 'error', 'error': {'type': 'authentication_error', 'message': 'invalid x-api-key'}}\r`,
              `key was ${revoked}\r`,
              KEYS.enter,
            ],
          ],
          [Q.keyAge, KEYS.enter], // Earlier / not sure
          [Q.save, [KEYS.down, KEYS.enter]], // Save somewhere else…
          ['File or folder', [target, KEYS.enter]],
          ...DEFAULTS,
        ],
        () => !!m.result(),
      );
      const r = await finished(m);
      expect(r.exitCode).toBe(1);
      expect(r.reportPath).toBe(target);
      const frame = m.lastFrame()!;
      expect(frame).toMatch(/✗ Activation: The API rejects this key/);
      expect(frame).toContain(`sk-ant-api03-…${revoked.slice(-4)} (108 chars)`);
      expect(frame).toMatch(/request-id req_/);
      expect(frame).toContain('→ Create a new key');
      expect(frame).toContain('PROBLEM: The API rejects this key');
      expect(frame).toContain(`Report saved: ${target}`);
      const st = await stat(target);
      expect(st.mode & 0o777).toBe(0o600);
      const md = await readFile(target, 'utf8');
      expect(md).toContain('key.invalid');
      noWindowOf(revoked, md);
      noWindowOf(revoked, m.all());
    },
  );

  it('a new key that becomes active during the wait: countdown, attempts, then accepted', async () => {
    const key = emulatorKey({ createdAt: new Date().toISOString(), activeAfterMs: 1200 });
    const api = await emulator({ keys: [key] });
    const s = fakeSession({ apiUrl: api.url, candidates: [envCandidate('ANTHROPIC_API_KEY', key.value)], waitMs: 700 });
    const m = mount(s);
    await answerAll(
      m,
      [
        [Q.client, SDK],
        [Q.keyAge, [KEYS.down, KEYS.enter]], // In the last 15 minutes
        [Q.wait, [KEYS.down, KEYS.enter]], // up to 2 minutes
        [Q.save, DONT_SAVE],
        ...DEFAULTS,
      ],
      () => !!m.result(),
    );
    const waiting = await until(
      () => m.frames.find((f) => f.includes('Waiting for the key to activate')),
      () => m.lastFrame() ?? '',
    );
    expect(waiting).toMatch(/next check in ~?\d+ s/);
    // Once the session has chosen the delay (with its jitter) the countdown is exact: no "~".
    expect(m.frames.some((f) => /Waiting for the key to activate . next check in \d+ s/.test(f))).toBe(true);
    expect(waiting).toMatch(/\d:\d\d left/);
    expect(waiting).toMatch(/attempt 1: 401 .+ · request-id req_/);
    expect(waiting).toContain('Esc stops waiting');
    const r = await finished(m);
    expect(r.exitCode).toBe(0);
    expect(m.lastFrame()).toMatch(/✓ Activation: .*became active after/);
    expect(r.diagnosis?.findings.map((f) => f.id)).toContain('key.not_yet_active');
    expect(s.waits.length).toBeGreaterThanOrEqual(1);
  });

  it('Esc during the wait stops waiting and aborts the running sleep', async () => {
    const api = await emulator({ keys: [emulatorKey()] });
    const s = fakeSession({
      apiUrl: api.url,
      candidates: [envCandidate('ANTHROPIC_API_KEY', fakeKey('api'))],
      waitMs: 60_000,
    });
    const m = mount(s);
    await answerAll(
      m,
      [[Q.client, CURL], [Q.keyAge, [KEYS.down, KEYS.enter]], [Q.wait, [KEYS.down, KEYS.enter]], ...DEFAULTS],
      () => live(m).includes('Waiting for the key to activate'),
    );
    await until(
      () => live(m).includes('Waiting for the key to activate'),
      () => m.lastFrame() ?? '',
    );
    await tick();
    m.stdin.write(KEYS.esc);
    await until(
      () => s.waits.length === 1,
      () => m.lastFrame() ?? '',
    );
    expect(s.waits[0]!.aborted).toBe(true);
    await until(
      () => /✗ Activation: The API rejects this key/.test(m.lastFrame() ?? ''),
      () => m.lastFrame() ?? '',
    );
    expect(m.lastFrame()).not.toContain('Waiting for the key to activate');
    m.stdin.write(KEYS.ctrlC);
    expect((await finished(m)).exitCode).toBe(130);
  });

  it('Esc goes back one question, also across a finished step', async () => {
    const api = await emulator({ keys: [emulatorKey()] });
    const s = fakeSession({ apiUrl: api.url, candidates: [envCandidate('ANTHROPIC_API_KEY', fakeKey('api'))] });
    const m = mount(s);
    await answer(m, Q.client, SDK);
    await answer(m, Q.error, KEYS.esc);
    // Back at the first question; answer it differently this time.
    await answer(m, Q.client, [KEYS.down, KEYS.enter]); // Claude Code
    await until(
      () => live(m).includes(Q.error),
      () => m.lastFrame() ?? '',
    );
    expect(m.lastFrame()).toContain('› Which program gets the 401? Claude Code');
    expect(m.lastFrame()).not.toContain('› Which program gets the 401? My code');
    await answerAll(m, DEFAULTS, () => live(m).includes(Q.keyAge));
    await answer(m, Q.keyAge, KEYS.esc); // key_format was finished: it opens again
    await until(
      () => live(m).includes('? Key format') && READY.test(live(m)),
      () => m.lastFrame() ?? '',
    );
    expect(m.lastFrame()).toContain('↩ Back to an earlier question: Key format again');
    expect(live(m)).not.toContain(Q.keyAge);
    m.stdin.write(KEYS.ctrlC);
    expect((await finished(m)).exitCode).toBe(130);
  });

  it('q quits at a choice; in a text field q is typed and Ctrl-C quits', async () => {
    const key = emulatorKey();
    const api = await emulator({ keys: [key] });
    const s = fakeSession({ apiUrl: api.url, candidates: [envCandidate('ANTHROPIC_API_KEY', key.value)] });
    const m = mount(s);
    await answer(m, Q.client, SDK);
    await answer(m, Q.error, 'q');
    expect(m.result()).toBeNull();
    expect(live(m)).toContain('│ q');
    m.stdin.write(KEYS.ctrlC);
    const r = await finished(m);
    expect(r).toEqual({ exitCode: 130, diagnosis: null, reportPath: null });
    expect(m.lastFrame()).toContain('Stopped. Nothing was saved.');

    const m2 = mount(fakeSession({ apiUrl: api.url, candidates: [envCandidate('ANTHROPIC_API_KEY', key.value)] }));
    await answer(m2, Q.client, 'q');
    expect((await finished(m2)).exitCode).toBe(130);
  });

  it(
    'no key found: the pasted key is masked, registered as a secret ' +
      'before anything runs, then shown as a fingerprint',
    async () => {
      const key = emulatorKey();
      const api = await emulator({ keys: [key] });
      const s = fakeSession({ apiUrl: api.url, candidates: [] });
      const m = mount(s);
      await answer(m, Q.client, SDK);
      await answer(m, Q.pasteKey, [key.value.slice(0, 50), key.value.slice(50) + '\r']);
      await until(
        () => live(m).includes(Q.error),
        () => m.lastFrame() ?? '',
      );
      expect(s.added[0]).toEqual({ value: key.value, effectsBefore: 0 });
      expect(m.lastFrame()).toContain(
        `› No key was found here. Paste the key to test (optional) sk-ant-api03-…${key.value.slice(-4)} (108 chars)`,
      );
      expect(m.all()).toContain('••••••••');
      await answerAll(m, DEFAULTS, () => /✓ Activation/.test(m.lastFrame() ?? ''));
      // The pasted key was probed, and accepted.
      expect(api.requests.some((q) => q.headers['x-api-key'] === key.value)).toBe(true);
      expect(m.lastFrame()).toMatch(/✓ Activation/);
      noWindowOf(key.value, m.all());
      m.stdin.write(KEYS.ctrlC);
      expect((await finished(m)).exitCode).toBe(130);
    },
  );

  it(
    'workspace step with an Admin key pasted into the wizard: ' +
      'the archived workspace is named, the Admin key never shown',
    async () => {
      const org = 'org_ui_admin';
      const key = emulatorKey({ orgId: org, workspaceId: 'wrkspc_ui_archived' });
      const admin = fakeKey('admin');
      const api = await emulator({
        keys: [key],
        orgs: [{ id: org, name: 'UI Org' }],
        workspaces: [
          { id: 'wrkspc_ui_archived', name: 'old-prototype', orgId: org, archivedAt: '2026-10-01T00:00:00Z' },
        ],
        adminKeys: [{ value: admin, orgId: org }],
      });
      const s = fakeSession({ apiUrl: api.url, candidates: [envCandidate('ANTHROPIC_API_KEY', key.value)] });
      const m = mount(s);
      await answerAll(
        m,
        [
          [Q.client, CURL],
          [Q.keyAge, KEYS.enter], // Earlier / not sure
          [Q.admin, [admin + '\r']],
          [Q.save, DONT_SAVE],
          ...DEFAULTS,
        ],
        () => !!m.result(),
      );
      const r = await finished(m);
      expect(r.exitCode).toBe(1);
      // The look-up really ran against the Admin API, with the pasted key, registered as a secret first.
      expect(
        api.requests.some((q) => q.path.startsWith('/v1/organizations/api_keys') && q.headers['x-api-key'] === admin),
      ).toBe(true);
      expect(s.added.map((a) => a.value)).toContain(admin);
      expect(r.diagnosis?.findings.map((f) => f.id)).toContain('workspace.archived');
      expect(m.all()).toContain('workspace.archived');
      // Without an Admin key the wizard would have asked what the Console shows; with one it does not.
      expect(m.all()).not.toContain(Q.console);
      noWindowOf(admin, m.all(), 'sk-ant-admin01-');
      noWindowOf(key.value, m.all());
    },
  );

  it('--report FILE: saved there without asking', async () => {
    const key = emulatorKey();
    const api = await emulator({ keys: [key] });
    const s = fakeSession({
      apiUrl: api.url,
      candidates: [envCandidate('ANTHROPIC_API_KEY', key.value)],
      options: { client: 'sdk', errorText: '' },
    });
    const target = join(dir, 'given.md');
    const m = mount(s, { reportPath: target });
    await answerAll(m, DEFAULTS, () => !!m.result());
    const r = await finished(m);
    expect(r.exitCode).toBe(0);
    expect(r.reportPath).toBe(target);
    expect(m.all()).not.toContain(Q.save);
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });
});
