// Every copy of a client the project runs, and its version: since @anthropic-ai/sdk 1.0 an API key
// travels as `Authorization: Bearer`, before it (and in Python) as `x-api-key` (fact sheet §5), and
// one project can run several copies (a framework's own nested copy, pnpm's store). Which row of
// the client table (core/clients.ts) each copy is, is decided there; this module only finds them.
// Evidence tiers per package: installed beats locked beats declared; within a tier the nearest
// directory (cwd, then each parent) wins — the same walk Node's module resolution does. A declared
// range is read as npm reads it: the HIGHEST version it allows is what an install brings.
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { apiKeyHeader, CLIENT_PACKAGES, FRAMEWORK_TABLE, rowFor, rowOf, type ClientRow } from '../core/clients.js';
import type { ClientInfo } from '../core/types.js';
import { VERSION_IN_TEXT, versionOutput } from './environment.js';
import {
  ancestors,
  exists,
  fileLabel,
  isRecord,
  listDir,
  MAX_LARGE_FILE_BYTES,
  parseJsonText,
  readJsonFile,
  readTextFile,
  type ReadContext,
} from './fsread.js';
import {
  bunLockCopies,
  npmLockCopies,
  pnpmLockCopies,
  stripJsonc,
  yarnLockCopies,
  type LockedCopy,
} from './lockfiles.js';

const PY_SDK = 'anthropic';
const CLAUDE_CODE_PKG = '@anthropic-ai/claude-code';
/** The npm packages looked for in node_modules and lockfiles (Claude Code is a program, found apart). */
const NODE_CLIENTS = CLIENT_PACKAGES.filter((p) => p !== PY_SDK && p !== CLAUDE_CODE_PKG);
/** Bounds on directory scans (node_modules, pnpm's store): enough for any real project. */
const MAX_SCAN = 5000;

type Found = Pick<ClientInfo, 'version' | 'source' | 'how'>;

export interface ClientOptions {
  platform?: NodeJS.Platform;
  /** Runs `claude --version` (absolute path, no shell); null when absent, failing or slow. */
  claudeVersion?: (file: string) => Promise<string | null>;
}

export async function discoverClients(
  cwd: string,
  env: Record<string, string | undefined>,
  notes: string[],
  home: string = env.HOME ?? env.USERPROFILE ?? '',
  opts: ClientOptions = {},
): Promise<ClientInfo[]> {
  const ctx: ReadContext = { cwd, home, notes };
  const dirs = ancestors(cwd);
  const out: ClientInfo[] = [];
  const cc = await findClaudeCode(ctx, dirs, env, opts);
  out.push(...(await findNodeClients(ctx, dirs)));
  const py = await findPySdk(ctx, dirs, env.VIRTUAL_ENV);
  if (py) out.push({ name: PY_SDK, ...py, sends: 'x-api-key', model: 'sdk-py' });
  out.push(...cc);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Node packages: @anthropic-ai/sdk (every copy), @ai-sdk/anthropic

interface Copy {
  name: string;
  version: string;
  source: string;
  how: ClientInfo['how'];
  via: string | null;
  dir?: string;
}

function toClient(c: Copy, notes: string[]): ClientInfo {
  let row = rowFor(c.name, c.version);
  const where = c.source.slice('file:'.length);
  const sends = (r: ClientRow) => (apiKeyHeader(r) === 'authorization' ? 'Authorization' : 'x-api-key');
  if (!row || (c.how === 'declared' && /^\s*(?:\*|x|X)?\s*$/.test(c.version))) {
    // A tag (`latest`), `*`, a URL, `workspace:*`: npm would bring the newest.
    row = rowFor(c.name, '*') ?? rowOf('other');
    notes.push(`${where}: ${c.name} "${c.version}" names no version; assumed ${row.label} (sends ${sends(row)})`);
  }
  return {
    name: c.name,
    version: c.version,
    source: c.source,
    how: c.how,
    sends: apiKeyHeader(row),
    model: row.model,
    ...(c.via ? { via: c.via } : {}),
    ...(c.dir ? { dir: c.dir } : {}),
  };
}

async function findNodeClients(ctx: ReadContext, dirs: string[]): Promise<ClientInfo[]> {
  const installed = await installedCopies(ctx, dirs);
  const out: Copy[] = [...installed];
  const missing = NODE_CLIENTS.filter((n) => !installed.some((c) => c.name === n));
  if (missing.length) {
    const locked = await lockedCopies(ctx, dirs, missing);
    out.push(...locked);
    const declared = await declaredRanges(
      ctx,
      dirs,
      missing.filter((n) => !locked.some((c) => c.name === n)),
    );
    for (const [name, found] of declared) out.push({ name, ...found, via: null });
  }
  return out.map((c) => toClient(c, ctx.notes));
}

/** The version in a package directory's package.json, or null. */
async function pkgVersion(ctx: ReadContext, dir: string): Promise<string | null> {
  const pkg = await readJsonFile(ctx, path.join(dir, 'package.json'));
  return isRecord(pkg) && typeof pkg.version === 'string' ? pkg.version : null;
}

async function real(p: string): Promise<string | null> {
  try {
    return await realpath(p);
  } catch {
    return null;
  }
}

/** Where Node would load `name` from, starting in `fromDir` (its node_modules, then each parent's). */
async function resolveFrom(fromDir: string, name: string): Promise<string | null> {
  for (let d = fromDir; ; d = path.dirname(d)) {
    if (path.basename(d) !== 'node_modules') {
      const candidate = path.join(d, 'node_modules', name);
      if (await exists(path.join(candidate, 'package.json'))) return candidate;
    }
    if (path.dirname(d) === d) return null;
  }
}

/** `@langchain+anthropic@1.5.11_@langchain+core@1.4.0` (a pnpm store entry) → `@langchain/anthropic`. */
function pnpmEntryName(entry: string): string | null {
  const m = /^(@[^+@]+\+)?([^@+][^@]*)@/.exec(entry);
  return m ? `${m[1] ? m[1].slice(0, -1) + '/' : ''}${m[2]}` : null;
}

/** Package directories directly in a node_modules folder (scoped ones included), bounded. */
async function packagesIn(nodeModules: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await listDir(nodeModules)) {
    if (out.length >= MAX_SCAN) break;
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const sub of await listDir(path.join(nodeModules, entry))) out.push(`${entry}/${sub}`);
    } else out.push(entry);
  }
  return out.slice(0, MAX_SCAN);
}

/**
 * Every installed copy of each client package: the one the working directory loads, each
 * package's own nested copy (npm: node_modules/<pkg>/node_modules/<client>), and each copy pnpm's
 * store links to a package (node_modules/.pnpm/<entry>/node_modules/<client>). Copies are the same
 * when their real paths are; `via` names the package that loads a copy the project itself does not.
 */
async function installedCopies(ctx: ReadContext, dirs: string[]): Promise<Copy[]> {
  const byReal = new Map<string, Copy & { users: Set<string> }>();
  const add = async (dir: string, name: string, user: string | null) => {
    const r = await real(dir);
    if (!r) return;
    const known = byReal.get(r);
    if (known) {
      if (user === null) known.via = null;
      else known.users.add(user);
      return;
    }
    const version = await pkgVersion(ctx, dir);
    if (!version) return;
    const source = fileLabel(path.join(dir, 'package.json'), ctx.cwd, ctx.home);
    byReal.set(r, { name, version, source, how: 'installed', via: user, dir, users: new Set(user ? [user] : []) });
  };
  for (const name of NODE_CLIENTS) {
    const own = await resolveFrom(ctx.cwd, name);
    if (own) await add(own, name, null);
  }
  for (const d of dirs) {
    const nm = path.join(d, 'node_modules');
    if (!(await exists(nm))) continue;
    for (const pkg of await packagesIn(nm)) {
      if (NODE_CLIENTS.includes(pkg)) continue;
      for (const name of NODE_CLIENTS) {
        const nested = path.join(nm, pkg, 'node_modules', name);
        if (await exists(path.join(nested, 'package.json'))) await add(nested, name, pkg);
      }
      // A framework symlinked from pnpm's store loads the client its store entry links.
      if (FRAMEWORK_TABLE.some((f) => f.package === pkg)) {
        const target = await real(path.join(nm, pkg));
        for (const name of NODE_CLIENTS) {
          const dep = target && (await resolveFrom(target, name));
          if (dep) await add(dep, name, pkg);
        }
      }
    }
    const store = path.join(nm, '.pnpm');
    for (const entry of (await listDir(store)).slice(0, MAX_SCAN)) {
      const owner = pnpmEntryName(entry);
      if (!owner || NODE_CLIENTS.includes(owner)) continue;
      for (const name of NODE_CLIENTS) {
        const linked = path.join(store, entry, 'node_modules', name);
        if (await exists(path.join(linked, 'package.json'))) await add(linked, name, owner);
      }
    }
  }
  return [...byReal.values()].map(({ users, ...c }) => ({ ...c, via: c.via === null ? null : [...users].sort()[0]! }));
}

/** The project's own range of each name, from the nearest package.json that declares it. */
async function declaredRanges(ctx: ReadContext, dirs: string[], names: string[]): Promise<Map<string, Found>> {
  const out = new Map<string, Found>();
  if (names.length === 0) return out;
  for (const d of dirs) {
    const file = path.join(d, 'package.json');
    const pkg = await readJsonFile(ctx, file);
    for (const name of names) {
      const range = declaredIn(pkg, name);
      if (range !== null && !out.has(name))
        out.set(name, { version: stripUserInfo(range), source: fileLabel(file, ctx.cwd, ctx.home), how: 'declared' });
    }
  }
  return out;
}

function declaredIn(pkg: unknown, name: string): string | null {
  if (!isRecord(pkg)) return null;
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const deps = pkg[field];
    if (isRecord(deps) && typeof deps[name] === 'string') return deps[name];
  }
  return null;
}

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock'] as const;

/** The nearest lockfile that locks any of `names`: every copy it records. */
async function lockedCopies(ctx: ReadContext, dirs: string[], names: string[]): Promise<Copy[]> {
  for (const d of dirs) {
    for (const lockName of LOCKFILES) {
      const file = path.join(d, lockName);
      if (!(await exists(file))) continue;
      const copies = await readLock(ctx, d, lockName, names);
      if (copies.length === 0) continue;
      const source = fileLabel(file, ctx.cwd, ctx.home);
      return copies.map((c) => ({ ...c, source, how: 'locked' as const }));
    }
  }
  return [];
}

async function readLock(ctx: ReadContext, dir: string, lockName: string, names: string[]): Promise<LockedCopy[]> {
  const file = path.join(dir, lockName);
  if (lockName.endsWith('.json')) {
    return npmLockCopies(await readJsonFile(ctx, file, MAX_LARGE_FILE_BYTES), dir, ctx.cwd, names);
  }
  const text = await readTextFile(ctx, file, MAX_LARGE_FILE_BYTES);
  if (text === null) return [];
  if (lockName === 'bun.lock') return bunLockCopies(parseJsonText(ctx, file, stripJsonc(text)), names);
  if (lockName === 'pnpm-lock.yaml') {
    const importer = path.relative(dir, ctx.cwd).split(path.sep).join('/') || '.';
    const own = pnpmLockCopies(text, importer, names);
    return own.length || importer === '.' ? own : pnpmLockCopies(text, '.', names);
  }
  // yarn.lock: the project's own ranges pick its copy.
  const declared: Record<string, string> = {};
  for (const d of ancestors(ctx.cwd, dir)) {
    const pkg = await readJsonFile(ctx, path.join(d, 'package.json'));
    for (const n of names) {
      const r = declaredIn(pkg, n);
      if (r !== null && declared[n] === undefined) declared[n] = r;
    }
  }
  return yarnLockCopies(text, declared, names);
}

/** A declared dependency may be a URL with a token in it (`git+https://user:token@host/…`). */
function stripUserInfo(spec: string): string {
  return spec.replace(/\/\/[^/@\s]*@/g, '//');
}

// ---------------------------------------------------------------------------------------------
// Claude Code: the `claude` on PATH (its package, its native install's version directory, or
// `claude --version`), and a copy installed in the project's node_modules.

async function findClaudeCode(
  ctx: ReadContext,
  dirs: string[],
  env: Record<string, string | undefined>,
  opts: ClientOptions,
): Promise<ClientInfo[]> {
  const out: ClientInfo[] = [];
  const seen = new Set<string>();
  const sends = apiKeyHeader(rowOf('claude-code'));
  const add = (f: Found, realFile: string) => {
    if (seen.has(realFile)) return;
    seen.add(realFile);
    out.push({ name: 'claude-code', ...f, sends, model: 'claude-code' });
  };
  const onPath = await claudeOnPath(env, opts.platform ?? process.platform);
  if (onPath) {
    const r = (await real(onPath)) ?? onPath;
    const version = (await claudeVersionBeside(ctx, r)) ?? (await (opts.claudeVersion ?? claudeVersion)(onPath));
    if (version) add({ version, source: fileLabel(onPath, ctx.cwd, ctx.home), how: 'installed' }, r);
    else ctx.notes.push(`${fileLabel(onPath, ctx.cwd, ctx.home).slice(5)}: \`claude --version\` gave no version`);
  }
  for (const d of dirs) {
    const dir = path.join(d, 'node_modules', CLAUDE_CODE_PKG);
    const version = await pkgVersion(ctx, dir);
    if (!version) continue;
    const r = (await real(dir)) ?? dir;
    const bin = onPath ? await real(onPath) : null;
    if (bin && bin.startsWith(r + path.sep)) continue; // the same install as the one on PATH
    add({ version, source: fileLabel(path.join(dir, 'package.json'), ctx.cwd, ctx.home), how: 'installed' }, r);
    break;
  }
  return out;
}

function pathOf(env: Record<string, string | undefined>): string {
  const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH' && env[k]);
  return key ? env[key]! : '';
}

async function claudeOnPath(
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
): Promise<string | null> {
  const names = platform === 'win32' ? ['claude.exe', 'claude.cmd', 'claude'] : ['claude'];
  const sep = platform === 'win32' ? ';' : ':';
  for (const dir of pathOf(env).split(sep).slice(0, 200)) {
    if (!dir || !path.isAbsolute(dir)) continue; // a relative PATH entry would depend on the cwd
    for (const n of names) {
      const file = path.join(dir, n);
      if (await exists(file)) return file;
    }
  }
  return null;
}

/**
 * The version without running anything: the native installer's `…/versions/2.1.332`, or the
 * package.json of the npm package (or its platform package) the binary lives in.
 */
async function claudeVersionBeside(ctx: ReadContext, realFile: string): Promise<string | null> {
  const named = /[\\/]versions[\\/](\d+\.\d+\.\d+[0-9A-Za-z.+-]*)$/.exec(realFile);
  if (named) return named[1]!;
  let d = path.dirname(realFile);
  for (let i = 0; i < 4; i++, d = path.dirname(d)) {
    const pkg = await readJsonFile(ctx, path.join(d, 'package.json'));
    if (isRecord(pkg) && typeof pkg.name === 'string' && pkg.name.startsWith(CLAUDE_CODE_PKG)) {
      return typeof pkg.version === 'string' ? pkg.version : null;
    }
  }
  return null;
}

/** `claude --version` (no shell, 1.5 s): "2.1.332 (Claude Code)" → "2.1.332". */
export async function claudeVersion(file: string, timeoutMs = 1500): Promise<string | null> {
  const out = await versionOutput(file, timeoutMs);
  return out === null ? null : (VERSION_IN_TEXT.exec(out)?.[0] ?? null);
}

// ---------------------------------------------------------------------------------------------
// Python

async function findPySdk(ctx: ReadContext, dirs: string[], venv: string | undefined): Promise<Found | null> {
  if (venv) {
    const found = await venvDistInfo(ctx, venv);
    if (found) return found;
  }
  for (const d of dirs) {
    for (const name of ['uv.lock', 'poetry.lock']) {
      const file = path.join(d, name);
      const text = await readTextFile(ctx, file, MAX_LARGE_FILE_BYTES);
      const version = text === null ? null : tomlLockVersion(text);
      if (version) return { version, source: fileLabel(file, ctx.cwd, ctx.home), how: 'locked' };
    }
  }
  for (const d of dirs) {
    const names = await listDir(d, (n) => /^requirements.*\.txt$/i.test(n));
    for (const name of [...names, 'pyproject.toml']) {
      const file = path.join(d, name);
      const text = await readTextFile(ctx, file);
      if (text === null) continue;
      const version = name === 'pyproject.toml' ? pyprojectSpec(text) : requirementsSpec(text);
      if (version !== null)
        return { version: stripUserInfo(version), source: fileLabel(file, ctx.cwd, ctx.home), how: 'declared' };
    }
  }
  return null;
}

/** `<venv>/lib/python3.X/site-packages/anthropic-1.2.3.dist-info` (Windows: `Lib/site-packages`). */
async function venvDistInfo(ctx: ReadContext, venv: string): Promise<Found | null> {
  const sitePackages = [path.join(venv, 'Lib', 'site-packages')];
  for (const py of (await listDir(path.join(venv, 'lib'))).filter((n) => n.startsWith('python'))) {
    sitePackages.unshift(path.join(venv, 'lib', py, 'site-packages'));
  }
  for (const sp of sitePackages) {
    for (const entry of await listDir(sp)) {
      const m = /^anthropic-([^-]+)\.dist-info$/.exec(entry);
      if (m) return { version: m[1]!, source: fileLabel(path.join(sp, entry), ctx.cwd, ctx.home), how: 'installed' };
    }
  }
  return null;
}

/** uv.lock and poetry.lock share the shape `[[package]]\nname = "anthropic"\nversion = "…"`. */
export function tomlLockVersion(text: string): string | null {
  for (const block of text.split(/^\[\[package\]\]\s*$/m).slice(1)) {
    const body = block.split(/^\[/m)[0]!; // up to the next table header
    if (!/^name\s*=\s*["']anthropic["']\s*$/m.test(body)) continue;
    const v = /^version\s*=\s*["']([^"']+)["']/m.exec(body);
    if (v) return v[1]!;
  }
  return null;
}

/** A PEP 508 requirement on `anthropic` → its specifier (`==1.2.3`, `>=0.30,<1`), `*` when bare. */
function pep508Spec(req: string): string | null {
  const m = /^\s*anthropic\s*(?:\[[^\]]*\])?\s*([<>=!~@(][^;#]*|)(?:[;#].*)?$/i.exec(req);
  if (!m) return null;
  const spec = m[1]!.replace(/[\s()]/g, '');
  return spec || '*';
}

export function requirementsSpec(text: string): string | null {
  for (const line of text.split(/\r?\n/)) {
    // Drop comments, per-line options (`--hash=…`) and continuation backslashes.
    const spec = pep508Spec(
      line
        .replace(/(^|\s)#.*$/, '')
        .replace(/\s+--?[a-z].*$/i, '')
        .replace(/\\\s*$/, ''),
    );
    if (spec) return spec;
  }
  return null;
}

/**
 * `anthropic` in pyproject.toml: PEP 621 `[project] dependencies = [...]`, optional-dependencies,
 * `[dependency-groups]`, and Poetry's `[tool.poetry.(group.*.)dependencies] anthropic = "^0.40"`.
 * A section-aware line scan: the project's own `name = "anthropic"` or `keywords` must not count.
 */
export function pyprojectSpec(text: string): string | null {
  let section = '';
  let inDeps = false; // inside a PEP 508 array
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s#.*$/, '');
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*$/.exec(line);
    if (header && !inDeps) {
      section = header[1]!.replace(/["']/g, '');
      continue;
    }
    if (/^tool\.poetry\.(?:group\.[^.]+\.)?(?:dev-)?dependencies$/.test(section)) {
      const m = /^\s*["']?anthropic["']?\s*=\s*(?:["']([^"']*)["']|\{.*?\bversion\s*=\s*["']([^"']*)["'])/i.exec(line);
      if (m) return (m[1] ?? m[2] ?? '*').replace(/\s/g, '') || '*';
      continue;
    }
    const arrayStart = /^\s*([\w.-]+)\s*=\s*\[/.exec(line);
    if (arrayStart) {
      const key = arrayStart[1]!;
      inDeps =
        (section === 'project' && key === 'dependencies') ||
        section === 'project.optional-dependencies' ||
        section === 'dependency-groups';
    }
    if (!inDeps) continue;
    for (const s of line.matchAll(/"([^"]*)"|'([^']*)'/g)) {
      const spec = pep508Spec(s[1] ?? s[2] ?? '');
      if (spec) return spec;
    }
    if (line.replace(/"[^"]*"|'[^']*'/g, '').includes(']')) inDeps = false;
  }
  return null;
}
