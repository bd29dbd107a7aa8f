import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeKey } from '../../source/emulator/keys.js';
import { discover } from '../../source/io/discover.js';
import { leaksWindow, sandbox, type Sandbox } from './sandbox.js';

const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

/** A git on PATH that records its argv, then runs the real one: secrets must never be in argv. */
function loggingGit(s: Sandbox): { PATH: string; log: string } {
  const log = path.join(s.root, 'git-argv.log');
  const bin = s.mkdir('bin');
  s.write('bin/git', `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realGit}' "$@"\n`);
  chmodSync(path.join(bin, 'git'), 0o755);
  s.write('git-argv.log', '');
  return { PATH: `${bin}:${process.env.PATH}`, log };
}

function repo(dir: string, ...tracked: string[]): void {
  const git = (...args: string[]) =>
    execFileSync(realGit, args, { cwd: dir, stdio: 'ignore', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
  git('init', '-q');
  if (tracked.length) git('add', '--', ...tracked);
}

describe('git hygiene', () => {
  it('finds tracked files holding a key and says whether each dotenv file is ignored', async () => {
    const s = sandbox();
    const leaked = fakeKey('api');
    const local = fakeKey('api');
    const { PATH, log } = loggingGit(s);
    s.write(path.join(s.project, 'src/config.ts'), `export const key = '${leaked}';\n`);
    s.write(path.join(s.project, 'docs/setup.md'), `ANTHROPIC_API_KEY=${leaked}\n`);
    s.write(path.join(s.project, 'README.md'), '# app\n');
    s.write(path.join(s.project, '.env'), `ANTHROPIC_API_KEY=${local}\n`); // untracked: not a leak
    s.write(path.join(s.home, 'code/.env'), `CLAUDE_API_KEY=${fakeKey('api')}\n`); // above the repository
    repo(s.project, 'src/config.ts', 'docs/setup.md', 'README.md');
    const sub = s.mkdir(path.join(s.project, 'src'));

    const env = { PATH, CLAUDE_KEY: leaked, ANTHROPIC_AUTH_TOKEN: 'short-token' };
    const d = await discover({ env, cwd: s.project, home: s.home, platform: 'linux', managedSettingsPath: null });
    expect(d.leaks).toEqual([{ value: leaked, files: ['docs/setup.md', 'src/config.ts'] }]);
    expect(d.dotenvFiles.map((f) => [f.source, f.ignoredByGit])).toEqual([
      ['file:.env', false],
      ['file:../.env', null],
    ]);

    // From a subdirectory: the whole repository is searched, paths relative to cwd.
    const fromSub = await discover({ env, cwd: sub, home: s.home, platform: 'linux', managedSettingsPath: null });
    expect(fromSub.leaks).toEqual([{ value: leaked, files: ['../docs/setup.md', 'config.ts'] }]);
    expect(fromSub.dotenvFiles.map((f) => [f.source, f.ignoredByGit])).toEqual([
      ['file:../.env', false],
      ['file:../../.env', null],
    ]);

    s.write(path.join(s.project, '.gitignore'), '.env\n');
    const ignored = await discover({ env, cwd: s.project, home: s.home, platform: 'linux', managedSettingsPath: null });
    expect(ignored.dotenvFiles[0]).toMatchObject({ source: 'file:.env', ignoredByGit: true });

    const argv = readFileSync(log, 'utf8');
    expect(argv).toContain('grep -l -F -f - -- :/');
    expect(leaksWindow(argv, leaked, 'sk-ant-'.length)).toBe(false);
    expect(leaksWindow(argv, local, 'sk-ant-'.length)).toBe(false);
  });

  it('a tracked .env is a leak even when .gitignore names it', async () => {
    const s = sandbox();
    const key = fakeKey('api');
    s.write(path.join(s.project, '.env'), `ANTHROPIC_API_KEY="${key} "\n`);
    s.write(path.join(s.project, '.gitignore'), '.env\n');
    repo(s.project);
    execFileSync(realGit, ['add', '-f', '.env'], { cwd: s.project, stdio: 'ignore' });
    const d = await discover({
      env: { PATH: process.env.PATH },
      cwd: s.project,
      home: s.home,
      platform: 'linux',
      managedSettingsPath: null,
    });
    expect(d.leaks).toEqual([{ value: key + ' ', files: ['.env'] }]); // the raw value, found by its trimmed text
    expect(d.dotenvFiles[0]!.ignoredByGit).toBe(false);
  });

  it('is skipped silently outside a repository, without git, or when disabled', async () => {
    const s = sandbox();
    const key = fakeKey('api');
    s.write(path.join(s.project, '.env'), `ANTHROPIC_API_KEY=${key}\n`);
    const base = { cwd: s.project, home: s.home, platform: 'linux' as const, managedSettingsPath: null };
    const outside = await discover({ ...base, env: { PATH: process.env.PATH } });
    expect([outside.leaks, outside.dotenvFiles[0]!.ignoredByGit, outside.notes]).toEqual([[], null, []]);

    s.write(path.join(s.project, 'tracked.txt'), key);
    repo(s.project, 'tracked.txt');
    const noGit = await discover({ ...base, env: { PATH: s.mkdir('empty-bin') } });
    expect([noGit.leaks, noGit.dotenvFiles[0]!.ignoredByGit, noGit.notes]).toEqual([[], null, []]);
    const disabled = await discover({ ...base, env: { PATH: process.env.PATH }, git: false });
    expect([disabled.leaks, disabled.dotenvFiles[0]!.ignoredByGit]).toEqual([[], null]);
    const enabled = await discover({ ...base, env: { PATH: process.env.PATH } });
    expect(enabled.leaks).toEqual([{ value: key, files: ['tracked.txt'] }]);
  });

  it('spawns no git where no .git exists up the tree, and does inside a work tree (a .git file too)', async () => {
    const s = sandbox();
    const { PATH, log } = loggingGit(s);
    s.write(path.join(s.project, '.env'), `ANTHROPIC_API_KEY=${fakeKey('api')}\n`);
    const base = { cwd: s.project, home: s.home, platform: 'linux' as const, managedSettingsPath: null };
    await discover({ ...base, env: { PATH } });
    expect(readFileSync(log, 'utf8')).toBe('');
    // A linked worktree has a .git file, not a directory: git is asked then.
    s.write(path.join(s.home, 'code', '.git'), 'gitdir: /nonexistent\n');
    await discover({ ...base, env: { PATH } });
    expect(readFileSync(log, 'utf8')).toContain('rev-parse --is-inside-work-tree');
  });
});
