// Git hygiene checks for discovery: is a credential in a tracked file (key.leaked), and is a
// dotenv file ignored (env.dotenv_not_ignored). Read-only, bounded by a timeout, and silent
// outside a repository or without git. A secret never goes into argv: `git grep` gets the
// values on stdin (cli-contract.md "Fingerprints and secrets").
import path from 'node:path';
import { ancestors, exists, readFileBytes, MAX_LARGE_FILE_BYTES, type ReadContext } from './fsread.js';

export const GIT_TIMEOUT_MS = 5000;
/** Shorter values are not distinctive enough to search for (and are not whole keys). */
export const LEAK_MIN_LENGTH = 20;

interface GitResult {
  code: number | null;
  stdout: string;
  timedOut: boolean;
}

/**
 * A git in the working directory. The child gets a minimal environment: what git needs to find
 * itself and the user's config, not the user's credentials. No optional locks: read-only.
 */
export interface Git {
  cwd: string;
  run(args: string[], input?: string): Promise<GitResult | null>;
}

/**
 * Repository configuration that would run a program is turned off for every call: a cloned repo
 * or an unpacked archive must not make this tool execute its `core.fsmonitor`, hooks, external
 * diff, textconv or pager (cli-contract.md "Fingerprints and secrets").
 */
export const GIT_SAFE_ARGS = [
  '-c',
  'core.fsmonitor=false',
  '-c',
  `core.hooksPath=${process.platform === 'win32' ? 'NUL' : '/dev/null'}`,
  '-c',
  'core.untrackedCache=false',
  '-c',
  'diff.external=',
  '-c',
  'core.pager=cat',
  '--no-pager',
];

export function makeGit(cwd: string, env: Record<string, string | undefined>, home: string): Git {
  const childEnv: Record<string, string> = {
    GIT_OPTIONAL_LOCKS: '0',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    // No system-wide config either (a shared machine's /etc/gitconfig), no pager.
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_PAGER: 'cat',
  };
  for (const name of ['PATH', 'Path', 'SYSTEMROOT', 'XDG_CONFIG_HOME', 'USERPROFILE']) {
    const v = env[name];
    if (v !== undefined) childEnv[name] = v;
  }
  const h = env.HOME ?? home;
  if (h) childEnv.HOME = h;
  return {
    cwd,
    run: async (args, input) => {
      // Loaded on the first git call: a run with nothing to look for never spawns a process.
      const { spawn } = await import('node:child_process');
      // A missing working directory makes spawn fail, yet its timeout timer would still hold
      // the process open for GIT_TIMEOUT_MS: don't start git at all there.
      const isDir = await import('node:fs/promises')
        .then((fs) => fs.stat(cwd))
        .then(
          (st) => st.isDirectory(),
          () => false,
        );
      if (!isDir) return null;
      return new Promise((resolve) => {
        let child;
        try {
          child = spawn('git', [...GIT_SAFE_ARGS, ...args], {
            cwd,
            env: childEnv,
            stdio: ['pipe', 'pipe', 'ignore'],
            timeout: GIT_TIMEOUT_MS,
            windowsHide: true,
          });
        } catch {
          return resolve(null);
        }
        let stdout = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (d: string) => {
          if (stdout.length < MAX_LARGE_FILE_BYTES) stdout += d;
        });
        // git missing, or the working directory is gone: no hygiene, no crash.
        child.on('error', () => resolve(null));
        child.stdin.on('error', () => {});
        child.on('close', (code, signal) => resolve({ code, stdout, timedOut: signal !== null }));
        child.stdin.end(input ?? '');
      });
    },
  };
}

/** Whether a `.git` (directory or file) exists in `dir` or a parent: only then is git started at all. */
export async function hasGitDir(dir: string): Promise<boolean> {
  for (const d of ancestors(dir)) if (await exists(path.join(d, '.git'))) return true;
  return false;
}

/** A git handle when `cwd` is inside a work tree, else null. */
export async function openRepo(git: Git): Promise<Git | null> {
  if (!(await hasGitDir(git.cwd))) return null;
  const r = await git.run(['rev-parse', '--is-inside-work-tree']);
  return r?.code === 0 && r.stdout.trim() === 'true' ? git : null;
}

/**
 * Which tracked files hold which values. `git grep -F -f -` finds the files that hold any of
 * them; each hit is then read once to attribute it to values. Paths are relative to cwd.
 */
export async function findLeaks(
  git: Git,
  values: string[],
  ctx: ReadContext,
): Promise<{ value: string; files: string[] }[]> {
  const wanted = [...new Set(values)].filter((v) => {
    const t = v.trim();
    return t.length >= LEAK_MIN_LENGTH && !/[\r\n]/.test(t);
  });
  if (wanted.length === 0) return [];
  const patterns = [...new Set(wanted.map((v) => v.trim()))];
  // `:/` = the whole repository, not only below cwd; paths come back relative to cwd.
  // git grep applies no textconv unless told to (--textconv), so no repository filter runs here.
  const r = await git.run(['grep', '-l', '-F', '-f', '-', '--', ':/'], patterns.join('\n') + '\n');
  if (!r) return [];
  if (r.timedOut) {
    ctx.notes.push(`git grep took longer than ${GIT_TIMEOUT_MS / 1000} s; the leak check was skipped`);
    return [];
  }
  if (r.code !== 0) return [];
  const hits = r.stdout.split('\n').filter(Boolean);
  const files = new Map<string, string[]>(wanted.map((v) => [v, []]));
  for (const rel of hits) {
    const buf = await readFileBytes(ctx, path.join(git.cwd, rel), MAX_LARGE_FILE_BYTES);
    if (!buf) continue;
    for (const v of wanted) if (buf.includes(v.trim())) files.get(v)!.push(rel);
  }
  return wanted.filter((v) => files.get(v)!.length > 0).map((v) => ({ value: v, files: files.get(v)! }));
}

/** true: ignored; false: not ignored (or tracked); null: outside the repository or git failed. */
export async function isIgnored(git: Git, file: string): Promise<boolean | null> {
  const r = await git.run(['check-ignore', '-q', '--', path.relative(git.cwd, file) || file]);
  if (!r || r.timedOut) return null;
  return r.code === 0 ? true : r.code === 1 ? false : null;
}
