// A sandbox for running the built CLI: HOME and a project two levels below it (discovery stops
// walking up at HOME, so nothing outside the sandbox is read). Each harness registers the
// clean-up its own way (per test, or after the file).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Box {
  root: string;
  home: string;
  /** The project: ~/work/app */
  cwd: string;
  /** Writes a file: `~/x` below HOME, absolute as given, anything else relative to the project. */
  write(file: string, content: string | Buffer, mode?: number): string;
  path(file: string): string;
}

export function makeBox(prefix: string, onCleanup: (f: () => void) => void): Box {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  onCleanup(() => {
    // A test may have taken permissions away; give them back so the tree can be removed.
    try {
      execFileSync('chmod', ['-R', 'u+rwx', root], { stdio: 'ignore' });
    } catch {
      // nothing to restore
    }
    rmSync(root, { recursive: true, force: true });
  });
  const home = path.join(root, 'home');
  const cwd = path.join(home, 'work', 'app');
  mkdirSync(cwd, { recursive: true });
  const where = (f: string) =>
    f.startsWith('~/') ? path.join(home, f.slice(2)) : path.isAbsolute(f) ? f : path.join(cwd, f);
  return {
    root,
    home,
    cwd,
    path: where,
    write(file, content, mode) {
      const p = where(file);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, content);
      if (mode !== undefined) chmodSync(p, mode);
      return p;
    },
  };
}
