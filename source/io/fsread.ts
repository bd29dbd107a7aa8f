// Careful, read-only file access for discovery: every problem becomes a short note, never a throw.
// Missing files are normal (silent); everything else (binary, huge, loops, FIFOs, permissions)
// is said once in words a user understands, with `~` for home and no file contents.
//
// The calls are synchronous under async signatures (issue 22): discovery makes about a hundred of
// them, nearly all for files that are not there, and each one through libuv's thread pool cost a
// round trip between threads (~10 ms in all on a quiet machine), against microseconds inline.
// Nothing here can block on a file's other end: FIFOs are opened with O_NONBLOCK and only
// regular files are read.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const MAX_FILE_BYTES = 1024 * 1024;
/** Lockfiles and ~/.claude.json are machine-written and routinely grow past 1 MB. */
export const MAX_LARGE_FILE_BYTES = 20 * 1024 * 1024;

/** Paths longer than this cannot be opened by name (Linux PATH_MAX, counting the final NUL). */
const PATH_MAX = 4095;

/**
 * A working directory whose absolute name is longer than PATH_MAX: getcwd() fails there, and so
 * does every open() by absolute name below it. Files there are opened relative to it instead.
 */
let longCwd: string | null = null;

export function setLongWorkingDir(dir: string | null): void {
  longCwd = dir;
}

/** The name to hand the OS for `file`: itself, or (too long to open) its path from the working directory. */
function openable(file: string): string {
  if (file.length <= PATH_MAX || longCwd === null || !path.isAbsolute(file)) return file;
  const rel = path.relative(longCwd, file);
  return rel === '' ? '.' : rel;
}

/** Whether `child` is `parent` or lies below it. Both absolute. */
export function isInside(child: string, parent: string): boolean {
  if (!parent) return false;
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** `dir` and each parent up to the filesystem root (or up to and including `stop`). */
export function ancestors(dir: string, stop?: string): string[] {
  const out: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    out.push(d);
    if ((stop && d === stop) || path.dirname(d) === d) return out;
  }
}

/**
 * How a path is shown: relative to the working directory when it shares a directory with it
 * below home (`.env`, `../.env`, `../node_modules/…`), else `~/…` under home, else (both
 * outside home) relative when they share more than the filesystem root, else absolute.
 * Forward slashes.
 */
export function displayPath(abs: string, cwd: string, home: string): string {
  const slash = (p: string) => p.split(path.sep).join('/');
  const rel = path.relative(cwd, abs);
  const up = rel.split(path.sep).filter((s) => s === '..').length;
  let common = cwd;
  for (let i = 0; i < up; i++) common = path.dirname(common);
  const strictlyUnderHome = (d: string) => d !== home && isInside(d, home);
  if (!path.isAbsolute(rel)) {
    if (up === 0 && cwd !== home) return slash(rel) || '.';
    if (strictlyUnderHome(common)) return slash(rel);
  }
  if (isInside(abs, home)) return '~/' + slash(path.relative(home, abs));
  // Outside home (a server checkout): relative when the two share more than the filesystem root.
  if (!path.isAbsolute(rel) && !isInside(cwd, home) && !isInside(abs, home) && path.dirname(common) !== common)
    return slash(rel);
  return slash(abs);
}

/** An absolute path with home written as `~`. */
export function tildify(abs: string, home: string): string {
  return home && isInside(abs, home) ? path.join('~', path.relative(home, abs)) : abs;
}

export function fileLabel(abs: string, cwd: string, home: string, line?: number): string {
  return `file:${displayPath(abs, cwd, home)}${line ? `:${line}` : ''}`;
}

/** Where the files live and where problems go. */
export interface ReadContext {
  cwd: string;
  home: string;
  notes: string[];
}

const SILENT = new Set(['ENOENT', 'ENOTDIR']);
const REASONS: Record<string, string> = {
  ELOOP: 'symlink loop',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'a directory, not a file',
  EMFILE: 'too many open files',
};

function note(ctx: ReadContext, file: string, reason: string): void {
  ctx.notes.push(`${displayPath(file, ctx.cwd, ctx.home)}: not read (${reason})`);
}

/** The raw bytes of a regular file, or null (with a note unless it is simply missing). */
export function readFileBytes(ctx: ReadContext, file: string, maxBytes = MAX_FILE_BYTES): Promise<Buffer | null> {
  return Promise.resolve(bytesOf(ctx, file, maxBytes));
}

function bytesOf(ctx: ReadContext, file: string, maxBytes: number): Buffer | null {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: opening a FIFO must not hang discovery; harmless for regular files.
    fd = openSync(openable(file), constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (st.isDirectory()) return (note(ctx, file, 'a directory, not a file'), null);
    if (!st.isFile()) return (note(ctx, file, 'not a regular file'), null);
    if (st.size > maxBytes) return (note(ctx, file, `larger than ${Math.round(maxBytes / 1024 / 1024)} MB`), null);
    return readFileSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (!SILENT.has(code)) note(ctx, file, REASONS[code] ?? code);
    return null;
  } finally {
    if (fd !== undefined)
      try {
        closeSync(fd);
      } catch {
        // nothing to do: the descriptor is gone either way
      }
  }
}

/** UTF-8 text of a file; binary and UTF-16 files are noted and skipped. */
export async function readTextFile(ctx: ReadContext, file: string, maxBytes = MAX_FILE_BYTES): Promise<string | null> {
  const buf = await readFileBytes(ctx, file, maxBytes);
  if (!buf) return null;
  // A UTF-16 file (Windows editors) is full of NULs; say which, since dotenv & co. cannot read it.
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))
    return (note(ctx, file, 'UTF-16 encoded; expected UTF-8'), null);
  if (buf.includes(0)) return (note(ctx, file, 'binary file'), null);
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parsed JSON of a file, or null. The parser's own message is not used: V8 quotes the text
 * around the error, which may be a secret. Only the line is kept.
 */
export async function readJsonFile(ctx: ReadContext, file: string, maxBytes = MAX_FILE_BYTES): Promise<unknown> {
  const text = await readTextFile(ctx, file, maxBytes);
  return text === null ? null : parseJsonText(ctx, file, text);
}

/** Deeper nesting than this is no settings file: a hostile or broken one, not worth the memory. */
export const MAX_JSON_DEPTH = 256;
/** Objects and arrays in one file; a large monorepo lockfile has a few hundred thousand. */
export const MAX_JSON_CONTAINERS = 1_000_000;

/**
 * Why `text` is too deep or has too many objects and arrays to parse, or null. One linear pass,
 * strings skipped, before JSON.parse builds anything (an 18 MB file of nested arrays would cost
 * a gigabyte of memory).
 */
export function jsonTooBig(text: string): string | null {
  let depth = 0;
  let containers = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string: skip to its closing quote, over escapes
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) return `nested deeper than ${MAX_JSON_DEPTH} levels`;
      if (++containers > MAX_JSON_CONTAINERS) return `more than ${MAX_JSON_CONTAINERS.toLocaleString('en')} objects`;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return null;
}

export function parseJsonText(ctx: ReadContext, file: string, text: string): unknown {
  const tooBig = jsonTooBig(text);
  if (tooBig) return (note(ctx, file, tooBig), null);
  try {
    return JSON.parse(text);
  } catch (err) {
    const pos = /position (\d+)/.exec((err as Error).message);
    const where = pos ? ` at line ${text.slice(0, Number(pos[1])).split('\n').length}` : '';
    note(ctx, file, `malformed JSON${where}`);
    return null;
  }
}

/** Whether anything is at `file` (a broken or looping link counts; only ENOENT/ENOTDIR do not). */
export function exists(file: string): Promise<boolean> {
  try {
    lstatSync(openable(file));
    return Promise.resolve(true);
  } catch (err) {
    return Promise.resolve(!SILENT.has((err as NodeJS.ErrnoException).code ?? ''));
  }
}

/**
 * Entry names of a directory (those `keep` accepts), sorted, or [] (silently: a missing directory is
 * normal). Filtered before sorting: /tmp may hold thousands of entries.
 */
export function listDir(dir: string, keep?: (name: string) => boolean): Promise<string[]> {
  try {
    const names = readdirSync(openable(dir));
    return Promise.resolve((keep ? names.filter(keep) : names).sort());
  } catch {
    return Promise.resolve([]);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
