// Issue 22 in the wizard: the first live checks go out while the first question is on screen
// (before anyone answers it), and the machine later uses those answers instead of asking twice.
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { emulatorKey, startEmulator, type Emulator } from '../../source/emulator/index.js';
import { answerAll, KEYS, requireBuild, runCli, until, type Run } from './pty.js';

let dir = '';
const runs: Run[] = [];
const emulators: Emulator[] = [];
beforeAll(() => requireBuild());
afterEach(async () => {
  for (const r of runs.splice(0)) r.kill();
  await Promise.all(emulators.splice(0).map((e) => e.close()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the wizard on the network', () => {
  it('probes the key while the first question waits, and does not probe it twice', async () => {
    dir = await mkdtemp(join(tmpdir(), 'c401-wiznet-'));
    const home = join(dir, 'home');
    await mkdir(home);
    const key = emulatorKey();
    const emu = await startEmulator({ keys: [key] });
    emulators.push(emu);
    const run = runCli(['--api-url', emu.url], { cwd: dir, home, env: { ANTHROPIC_API_KEY: key.value } });
    runs.push(run);
    await until(
      () => run.screen().includes('Which program gets the 401?'),
      () => run.screen(),
    );
    // Nobody has answered anything yet: the key's first look is already on its way.
    const firstLook = (r: { method: string; path: string; query: string }) =>
      r.method === 'GET' && r.path === '/v1/models' && r.query === 'limit=20';
    await until(
      () => emu.requests.some(firstLook),
      () => JSON.stringify(emu.requests.map((r) => r.path)),
    );
    let done = false;
    await answerAll(
      run,
      [
        ['Which program gets the 401?', [KEYS.enter]],
        ['Where does the failing program run?', [KEYS.enter]],
        ['Claude Pro or Max', [KEYS.down, KEYS.enter]],
        ['Where do you mean to send requests?', [KEYS.enter]],
      ],
      () => (done ||= run.screen().includes('Save a report?')),
    );
    expect(run.screen()).toContain('Activation');
    // Each form of the key had one first look: the diagnosis used the one sent before any answer.
    const forms = emu.requests
      .filter(firstLook)
      .map((r) => `${r.headers['x-api-key'] ? 'x-api-key' : ''}|${r.headers.authorization ? 'bearer' : ''}`);
    expect(forms.length).toBeGreaterThan(0);
    expect(new Set(forms).size).toBe(forms.length);
    run.write(KEYS.up);
    run.write(KEYS.enter);
  });
});
