// Which Anthropic SDK the project uses, and which version: since @anthropic-ai/sdk 1.0 an API
// key travels as `Authorization: Bearer`, before it (and in Python) as `x-api-key` (fact sheet §5).
// Evidence tiers: installed beats locked beats declared; within a tier the nearest directory
// (cwd, then each parent) wins — the same walk Node's module resolution does.
import path from 'node:path';
import type { ClientInfo } from '../core/types.js';
import {
  ancestors,
  fileLabel,
  isRecord,
  listDir,
  MAX_LARGE_FILE_BYTES,
  readJsonFile,
  readTextFile,
  type ReadContext,
} from './fsread.js';

const TS_SDK = '@anthropic-ai/sdk';
const PY_SDK = 'anthropic';
/** The first @anthropic-ai/sdk major that sends every credential as Bearer (fact sheet §5). */
export const TS_BEARER_MAJOR = 1;

type Found = Pick<ClientInfo, 'version' | 'source' | 'how'>;

export async function discoverClients(
  cwd: string,
  env: Record<string, string | undefined>,
  notes: string[],
  home: string = env.HOME ?? env.USERPROFILE ?? '',
): Promise<ClientInfo[]> {
  const ctx: ReadContext = { cwd, home, notes };
  const dirs = ancestors(cwd);
  const out: ClientInfo[] = [];
  const ts = await findTsSdk(ctx, dirs);
  if (ts) out.push(tsClient(ts, notes));
  const py = await findPySdk(ctx, dirs, env.VIRTUAL_ENV);
  if (py) out.push({ name: PY_SDK, ...py, sends: 'x-api-key', model: 'sdk-py' });
  return out;
}

// ---------------------------------------------------------------------------------------------
// TypeScript

async function findTsSdk(ctx: ReadContext, dirs: string[]): Promise<Found | null> {
  for (const d of dirs) {
    const file = path.join(d, 'node_modules', TS_SDK, 'package.json');
    const pkg = await readJsonFile(ctx, file);
    if (isRecord(pkg) && typeof pkg.version === 'string')
      return { version: pkg.version, source: fileLabel(file, ctx.cwd, ctx.home), how: 'installed' };
  }
  for (const d of dirs) {
    const file = path.join(d, 'package-lock.json');
    const version = lockedNpmVersion(await readJsonFile(ctx, file, MAX_LARGE_FILE_BYTES), d, ctx.cwd);
    if (version) return { version, source: fileLabel(file, ctx.cwd, ctx.home), how: 'locked' };
  }
  for (const d of dirs) {
    const file = path.join(d, 'package.json');
    const pkg = await readJsonFile(ctx, file);
    if (!isRecord(pkg)) continue;
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const deps = pkg[field];
      if (isRecord(deps) && typeof deps[TS_SDK] === 'string') {
        return {
          version: stripUserInfo(deps[TS_SDK] as string),
          source: fileLabel(file, ctx.cwd, ctx.home),
          how: 'declared',
        };
      }
    }
  }
  return null;
}

/**
 * The version a package-lock records for the copy cwd would load: lockfile v2/v3 `packages`
 * keyed by install path (a workspace member's own copy first, then hoisted ones), v1 `dependencies`.
 */
function lockedNpmVersion(lock: unknown, lockDir: string, cwd: string): string | null {
  if (!isRecord(lock)) return null;
  if (isRecord(lock.packages)) {
    for (const d of ancestors(cwd, lockDir)) {
      const rel = path.relative(lockDir, d).split(path.sep).join('/');
      const entry = lock.packages[`${rel ? rel + '/' : ''}node_modules/${TS_SDK}`];
      if (isRecord(entry) && typeof entry.version === 'string') return entry.version;
    }
  }
  const v1 = isRecord(lock.dependencies) ? lock.dependencies[TS_SDK] : undefined;
  return isRecord(v1) && typeof v1.version === 'string' ? v1.version : null;
}

/** A declared dependency may be a URL with a token in it (`git+https://user:token@host/…`). */
function stripUserInfo(spec: string): string {
  return spec.replace(/\/\/[^/@\s]*@/g, '//');
}

function tsClient(found: Found, notes: string[]): ClientInfo {
  let major = found.how === 'declared' ? lowestMajor(found.version) : majorOf(found.version);
  if (major === null) {
    major = TS_BEARER_MAJOR;
    notes.push(
      `${found.source.slice('file:'.length)}: ${TS_SDK} "${found.version}" names no version; assumed ${TS_BEARER_MAJOR}.x (sends Authorization)`,
    );
  }
  const bearer = major >= TS_BEARER_MAJOR;
  return {
    name: TS_SDK,
    ...found,
    sends: bearer ? 'authorization' : 'x-api-key',
    model: bearer ? 'sdk-ts-1' : 'sdk-ts-0',
  };
}

function majorOf(version: string): number | null {
  const m = /^\s*v?(\d+)\./.exec(version);
  return m ? Number(m[1]) : null;
}

/**
 * The major of the lowest version a semver range admits: `^1.2.0` → 1, `>=0.50 <2` → 0,
 * `^0.60.0 || ^1.0.0` → 0. Upper bounds (`<2`) say nothing about the lowest version.
 * `*`, `latest`, `workspace:*`, git URLs → null.
 */
export function lowestMajor(range: string): number | null {
  const spec = (range.includes('npm:') ? range.slice(range.lastIndexOf('@') + 1) : range).trim();
  if (/^(?:latest|next|\*|x|X)?$/.test(spec) || /^(?:workspace|file|link|git|git\+\w+|github|https?):/.test(spec))
    return null;
  let lowest: number | null = null;
  let upperOnly = false;
  for (const m of spec.matchAll(/(<=?)?\s*v?(\d+)(?:\.(?:\d+|[xX*]))*/g)) {
    if (m[1]) {
      upperOnly = true;
      continue;
    }
    const major = Number(m[2]);
    if (lowest === null || major < lowest) lowest = major;
  }
  return lowest ?? (upperOnly ? 0 : null);
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
    const names = (await listDir(d)).filter((n) => /^requirements.*\.txt$/i.test(n));
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
