// Where a report goes: outside a git work tree by default; typed paths with ~, folders, and a
// folder that does not exist (an error, never a file named after it).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultReportDir, inGitWorkTree, resolveReportPath } from '../../source/io/save.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree() {
  const root = mkdtempSync(join(tmpdir(), 'c401-paths-'));
  dirs.push(root);
  const home = join(root, 'home');
  const repo = join(home, 'src', 'app');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'sub'), { recursive: true });
  const plain = join(home, 'notes');
  mkdirSync(plain, { recursive: true });
  return { root, home, repo, plain, tmp: join(root, 'tmp') };
}

const NAME = 'claude-401-report-20261204-120000.md';

describe('default report directory', () => {
  it('a git work tree (from any folder in it) sends the default to the home directory', async () => {
    const t = tree();
    expect(await inGitWorkTree(join(t.repo, 'sub'))).toBe(true);
    expect(await inGitWorkTree(t.plain)).toBe(false);
    expect(await defaultReportDir(join(t.repo, 'sub'), t.home, t.tmp)).toBe(t.home);
    expect(await defaultReportDir(t.plain, t.home, t.tmp)).toBe(t.plain);
  });

  it(
    'a worktree or submodule (.git is a file) counts; ' + 'a home that is a repository itself sends it to temp',
    async () => {
      const t = tree();
      const wt = join(t.root, 'wt');
      mkdirSync(wt);
      writeFileSync(join(wt, '.git'), 'gitdir: /elsewhere\n');
      expect(await inGitWorkTree(wt)).toBe(true);
      mkdirSync(join(t.home, '.git'));
      expect(await defaultReportDir(t.repo, t.home, t.tmp)).toBe(t.tmp);
    },
  );
});

describe('a typed report path', () => {
  it('~ and ~/… are the home directory; a folder (existing, or ending in /) gets the default name', async () => {
    const t = tree();
    const at = { cwd: t.repo, home: t.home, defaultName: NAME };
    expect(await resolveReportPath('~', at)).toBe(join(t.home, NAME));
    expect(await resolveReportPath('~/', at)).toBe(join(t.home, NAME));
    expect(await resolveReportPath('~/notes', at)).toBe(join(t.plain, NAME));
    expect(await resolveReportPath('~/notes/', at)).toBe(join(t.plain, NAME));
    expect(await resolveReportPath('~/notes/mine.md', at)).toBe(join(t.plain, 'mine.md'));
    expect(await resolveReportPath('sub', at)).toBe(join(t.repo, 'sub', NAME));
    expect(await resolveReportPath('  out.md  ', at)).toBe(join(t.repo, 'out.md'));
  });

  it('a folder that does not exist is an error naming it, never a file called after it', async () => {
    const t = tree();
    const at = { cwd: t.repo, home: t.home, defaultName: NAME };
    await expect(resolveReportPath('~/Desktop/', at)).rejects.toThrow(/~\/Desktop\/: no such directory/);
    await expect(resolveReportPath('~/Desktop', at)).rejects.toThrow(/~\/Desktop: no such directory/);
    await expect(resolveReportPath('~/Desktop/r.md', at)).rejects.toThrow(/does not exist/);
    await expect(resolveReportPath('missing/r.md', at)).rejects.toThrow(/directory missing does not exist/);
  });
});
