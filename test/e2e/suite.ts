// What the PTY suites share: the built CLI required, and everything a test starts (sandboxes,
// emulators, terminal runs) ended once the file is done.
import { afterAll, beforeAll } from 'vitest';
import { startEmulator, type Emulator, type EmulatorKey } from '../../source/emulator/index.js';
import { makeBox, type Box } from '../helpers/box.js';
import { requireBuild, type Run } from './pty.js';

export function ptySuite(prefix: string): {
  box: () => Box;
  emulator: (keys: EmulatorKey[]) => Promise<Emulator>;
  track: (run: Run) => Run;
} {
  const cleanups: (() => unknown)[] = [];
  const runs: Run[] = [];
  beforeAll(() => requireBuild());
  afterAll(async () => {
    for (const r of runs) r.kill();
    for (const f of cleanups.reverse()) await f();
  });
  return {
    box: () => makeBox(prefix, (f) => cleanups.push(f)),
    emulator: async (keys) => {
      const e = await startEmulator({ keys });
      cleanups.push(() => e.close());
      return e;
    },
    track: (run) => (runs.push(run), run),
  };
}
