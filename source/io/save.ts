// Atomic, private report writing: a temporary file (mode 0600, O_EXCL) in the target's
// directory, fsynced, then renamed over the target (`--report FILE`: an existing file or symlink
// is replaced, never written through) or hard-linked to it (a name chosen in the wizard: fails
// instead of overwriting). However the run ends, no temporary file stays behind.
import { unlinkSync } from 'node:fs';
import { link, lstat, open, rename, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';

/** Temporary files not yet in place; `cleanupPendingReports` removes them on Ctrl-C and the signals below. */
const pending = new Set<string>();

/** Signals that end the run by default: a temp file in flight is removed, then the signal takes its course. */
const FATAL_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];

function onFatalSignal(signal: NodeJS.Signals): void {
  cleanupPendingReports();
  // Another handler (Ctrl-C → exit 130, the wizard's hang-up) decides how the run ends; alone,
  // this one lets the signal's default action end it, as it would have without us.
  if (process.listenerCount(signal) > 1) return;
  releaseSignals();
  process.kill(process.pid, signal);
}

const handlers = new Map<NodeJS.Signals, () => void>();

function holdSignals(): void {
  for (const sig of FATAL_SIGNALS) {
    if (handlers.has(sig)) continue;
    const h = () => onFatalSignal(sig);
    handlers.set(sig, h);
    process.on(sig, h);
  }
}

function releaseSignals(): void {
  for (const [sig, h] of handlers) process.off(sig, h);
  handlers.clear();
}

/** `claude-401-report-YYYYMMDD-HHMMSS.md` in local time. */
export function defaultReportName(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}`;
  const time = `${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `claude-401-report-${date}-${time}.md`;
}

const REASONS: Record<string, string> = {
  EEXIST: 'file exists',
  ENOENT: 'directory does not exist',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'is a directory',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
  ECANCELED: 'cancelled',
};

/** File systems without hard links (FAT, some network shares) answer these to link(). */
const NO_LINK = new Set(['ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK', 'EPERM']);

function codeOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

function failure(path: string, err: unknown): Error {
  const code = codeOf(err);
  const reason = (code && REASONS[code]) ?? code ?? (err instanceof Error ? err.message : String(err));
  // One line, whatever the path or the system message contain.
  const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return new Error(`cannot write report to ${oneLine(path)}: ${oneLine(reason)}`);
}

function existsError(): NodeJS.ErrnoException {
  return Object.assign(new Error('file exists'), { code: 'EEXIST' });
}

/** Put the finished temp file at `path` without ever replacing an existing file. */
async function place(tmp: string, path: string): Promise<void> {
  try {
    await link(tmp, path);
    // The report is in place now; a temp name that will not go away is no reason to fail.
    await unlink(tmp).catch(() => undefined);
    return;
  } catch (err) {
    const code = codeOf(err);
    if (!code || !NO_LINK.has(code)) throw err;
  }
  const taken = await lstat(path).then(
    () => true,
    (err: unknown) => {
      if (codeOf(err) === 'ENOENT') return false;
      throw err;
    },
  );
  if (taken) throw existsError();
  await rename(tmp, path); // small race window, accepted where hard links are unavailable
}

export interface SaveOptions {
  /** Replace an existing file (or symlink) at `path` atomically (`--report FILE`); default: refuse. */
  replace?: boolean;
}

export async function saveReport(path: string, content: string, o: SaveOptions = {}): Promise<{ path: string }> {
  // Web Crypto's global, not node:crypto: importing node:crypto here would load it on every
  // `check`, since the session module (on the check path) imports this one.
  const random = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(6))).toString('hex');
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${random}.tmp`);
  let opened = false;
  try {
    // Held before the file exists: a signal between open() and the registration would leave it.
    holdSignals();
    const fh = await open(tmp, 'wx', 0o600);
    pending.add(tmp);
    opened = true;
    try {
      await fh.writeFile(content, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (o.replace) await rename(tmp, path);
    else await place(tmp, path);
    pending.delete(tmp);
    return { path };
  } catch (err) {
    // Opened but no longer pending: cleanupPendingReports removed it under our feet (Ctrl-C).
    throw failure(path, opened && !pending.has(tmp) ? { code: 'ECANCELED' } : err);
  } finally {
    // Still pending only after a failure: leave no temp file behind.
    if (pending.delete(tmp)) await unlink(tmp).catch(() => undefined);
    if (pending.size === 0) releaseSignals();
  }
}

/**
 * Why `--report FILE` cannot be written, found before any check runs, or null: FILE is a
 * directory, or its directory does not exist. (Anything else — permissions, a full disk — shows
 * when the report is written.)
 */
export async function reportTargetProblem(path: string): Promise<string | null> {
  // lstat: a symlink at FILE is replaced by the report, whatever it points to.
  const st = await lstat(path).catch(() => null);
  if (st?.isDirectory()) return 'is a directory';
  const dir = await stat(dirname(path)).catch(() => null);
  if (!dir) return 'directory does not exist';
  if (!dir.isDirectory()) return 'a part of the path is not a directory';
  return null;
}

/** Removes temp files still in flight. Synchronous, so a SIGINT handler can call it and exit. */
export function cleanupPendingReports(): void {
  for (const tmp of pending) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

// ---------------------------------------------------------------------------------------------
// Where a report goes (path rules; the writing above is separate).

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** Whether `dir` is inside a git work tree: a `.git` (directory or file) in it or a parent. No git is run. */
export async function inGitWorkTree(dir: string): Promise<boolean> {
  let at = resolve(dir);
  for (;;) {
    if (
      await lstat(join(at, '.git')).then(
        () => true,
        () => false,
      )
    )
      return true;
    const up = dirname(at);
    if (up === at) return false;
    at = up;
  }
}

/**
 * The default report directory: the working directory, unless it is in a git work tree (a report
 * there is one `git add .` from being committed) — then the home directory, or the OS temp
 * directory when the home directory is in one too.
 */
export async function defaultReportDir(cwd: string, home: string, tmp: string = tmpdir()): Promise<string> {
  if (!(await inGitWorkTree(cwd))) return cwd;
  if ((await isDirectory(home)) && !(await inGitWorkTree(home))) return home;
  return tmp;
}

/**
 * The file a typed report path names: `~` is the home directory, relative paths start at the
 * working directory, a folder (an existing one, any path ending in `/`, a name without an
 * extension) gets the default name inside it. A folder that does not exist is an error, never a
 * file named after it.
 */
export async function resolveReportPath(
  typed: string,
  at: { cwd: string; home: string; defaultName: string },
): Promise<string> {
  const path = typed.trim();
  const expanded =
    path === '~' ? at.home : path.startsWith('~/') || path.startsWith(`~${sep}`) ? join(at.home, path.slice(2)) : path;
  const abs = resolve(at.cwd, expanded);
  // A name without an extension is a folder too (`~/Desktop`): a report is a .md file.
  const folder = /[\\/]$/.test(path) || path === '~' || !basename(abs).includes('.');
  if (await isDirectory(abs)) return join(abs, at.defaultName);
  if (folder) throw new Error(`cannot write report to ${path}: no such directory (a file name ends in .md)`);
  if (!(await isDirectory(dirname(abs))))
    throw new Error(`cannot write report to ${path}: directory ${dirname(expanded) || '.'} does not exist`);
  return abs;
}
