// The wizard offers to watch: the installed clients (default Yes: nothing leaves the machine) and the
// person's own command (Enter skips). In a real terminal against the built bundle, the emulator as
// the API; Enter at every question must end where `check --observe-clients` ends.
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorKey, startEmulator, type Emulator } from '../../source/emulator/index.js';
import { runCli as runHeadless } from '../helpers/cli.js';
import { answerAll, KEYS, requireBuild, runCli, SECRET_IN_STREAM, type Run } from '../e2e/pty.js';
import { ENTER_PROMPTS, layout, linkPackage, script, SDK_0 } from './helpers.js';

let emu: Emulator | null = null;
const runs: Run[] = [];
afterEach(async () => {
  for (const r of runs.splice(0)) r.kill();
  if (emu) {
    expect(emu.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages')).toEqual([]);
    await emu.close();
  }
  emu = null;
});

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[()][0-9A-Za-z]|\u001b[=>78]/g, '');

// On this base three questions still default to an answer that adds an assumption; the wizard work
// (#20) makes the no-assumption answer their default. Until then they are picked explicitly.
const NO_ASSUMPTION: [string, string[]][] = [
  ['Which program gets the 401?', [KEYS.down, KEYS.down, KEYS.down, KEYS.down, KEYS.enter]], // Not sure
  ['Claude Pro or Max', [KEYS.down, KEYS.down, KEYS.enter]], // Not sure
  ['When was it created?', [KEYS.down, KEYS.down, KEYS.enter]], // I don't know
];

const ENTER_EVERYWHERE: [string, string[]][] = [
  ...NO_ASSUMPTION,
  ...['send one request? Nothing leaves this machine.', 'Which command fails?', ...ENTER_PROMPTS].map(
    (p): [string, string[]] => [p, [KEYS.enter]],
  ),
];

describe('the wizard offers observation', () => {
  it(
    'Enter everywhere (but the three noted above) watches the installed SDK and ends as check ' +
      '--observe-clients does',
    async () => {
      requireBuild();
      const key = emulatorKey();
      emu = await startEmulator({ keys: [key] });
      const { home, cwd } = await layout();
      await linkPackage(cwd, '@anthropic-ai/sdk', SDK_0);
      const env = { ANTHROPIC_API_KEY: key.value };
      const run = runCli(['--api-url', emu.url], { cwd, home, env, cols: 100, rows: 40 });
      runs.push(run);
      let exit: { exitCode: number } | null = null;
      void run.exited.then((e) => (exit = e));
      await answerAll(run, ENTER_EVERYWHERE, () => exit !== null);
      const { exitCode } = await run.exited;
      // Questions collapse once answered: what was asked is in the stream of frames, not the final screen.
      const frames = stripAnsi(run.raw());
      expect(frames).toContain('Watch @anthropic-ai/sdk 0.137.0 send one request? Nothing leaves this machine.');
      expect(frames).toContain('Which command fails? (Enter skips)');
      expect(frames).toContain('Watching @anthropic-ai/sdk 0.137.0 against a local stand-in');
      expect(run.raw()).not.toMatch(SECRET_IN_STREAM);

      const check = await runHeadless(['check', '--observe-clients', '--json', '--api-url', emu.url], {
        cwd,
        home,
        env,
        timeoutMs: 60_000,
      });
      const doc = JSON.parse(check.stdout) as { verdict: string; observed: { client: string }[] };
      expect(doc.observed.map((o) => o.client)).toEqual(['Anthropic/JS 0.137.0']);
      expect(exitCode).toBe(check.code);
    },
  );

  it("the person's own command is watched, and what it sent decides", async () => {
    requireBuild();
    emu = await startEmulator({ keys: [] });
    const { home, cwd } = await layout();
    const rejected = emulatorKey().value; // not in the emulator: rejected
    await script(
      cwd,
      'app.mjs',
      [
        "import http from 'node:http';",
        "const req = http.get(new URL('/v1/models', process.env.ANTHROPIC_BASE_URL), {",
        "  headers: { 'x-api-key': process.env.SERVICE_TOKEN, 'anthropic-version': '2023-06-01' },",
        '}, (res) => { res.resume(); res.on("end", () => process.exit(1)); });',
        "req.on('error', () => process.exit(2));",
      ].join('\n'),
    );
    const run = runCli(['--api-url', emu.url], { cwd, home, env: { SERVICE_TOKEN: rejected }, cols: 100, rows: 40 });
    runs.push(run);
    let exit: { exitCode: number } | null = null;
    void run.exited.then((e) => (exit = e));
    const answers: [string, string[]][] = [
      ['Which command fails?', [`${process.execPath} app.mjs`, KEYS.enter]],
      ...ENTER_EVERYWHERE.filter(([p]) => p !== 'Which command fails?'),
    ];
    await answerAll(run, answers, () => exit !== null);
    const { exitCode } = await run.exited;
    expect(exitCode).toBe(1);
    expect(run.all()).toMatch(/key\.invalid|rejects this key/);
    expect(run.all()).toContain('SERVICE_TOKEN');
    expect(run.raw()).not.toMatch(SECRET_IN_STREAM);
  });
});
