// Where a report named by the user goes: `~` is the home directory, relative paths start at the
// working directory, and a folder gets the default report name inside it.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export async function reportTarget(
  path: string,
  at: { cwd: string; home: string; defaultName: string },
): Promise<string> {
  const expanded = path === '~' ? at.home : path.startsWith('~/') ? join(at.home, path.slice(2)) : path;
  const abs = resolve(at.cwd, expanded);
  const isDir =
    path.endsWith('/') ||
    (await stat(abs).then(
      (s) => s.isDirectory(),
      () => false,
    ));
  return isDir ? join(abs, at.defaultName) : abs;
}
