// Small, bounded readers of the lockfiles npm, pnpm, yarn (v1 and Berry) and bun write: which
// versions of a package they lock, and which package brings each copy (`via`). No YAML or JSONC
// parser dependency: each format is read line by line (or as JSON after removing what JSONC
// adds), only as far as these questions need. Pure functions of the text: io/clients.ts reads the
// files.
import path from 'node:path';
import { isRecord } from './fsread.js';

export interface LockedCopy {
  name: string;
  version: string;
  /** The package that brings this copy (a framework's own nested copy), null for the project's. */
  via: string | null;
}

const MAX_LINES = 400_000;

function push(out: LockedCopy[], c: LockedCopy): void {
  if (!out.some((o) => o.name === c.name && o.version === c.version && o.via === c.via)) out.push(c);
}

/** `1.17.0(zod@3.25.76)`, `1.17.0_zod@3.25.76` (pnpm peer suffixes) → `1.17.0`; links → null. */
function bareVersion(v: string): string | null {
  const s = v
    .trim()
    .replace(/^['"]|['"]$/g, '')
    .replace(/\(.*$/, '')
    .replace(/_.*$/, '');
  return /^\d+\.\d+\.\d+[0-9A-Za-z.+-]*$/.test(s) ? s : null;
}

// ---------------------------------------------------------------------------------------------
// npm: package-lock.json / npm-shrinkwrap.json (v1 `dependencies`, v2/v3 `packages`)

/**
 * Copies of `names` an npm lockfile records. The project's own copy is the one the working
 * directory would load (a workspace member's own copy first, then hoisted ones); a copy under
 * another package's node_modules is that package's (`via`).
 */
export function npmLockCopies(lock: unknown, lockDir: string, cwd: string, names: readonly string[]): LockedCopy[] {
  const out: LockedCopy[] = [];
  if (!isRecord(lock)) return out;
  if (isRecord(lock.packages)) {
    const pkgs = lock.packages;
    for (const name of names) {
      let own: string | null = null;
      for (const d of ancestorsWithin(cwd, lockDir)) {
        const rel = path.relative(lockDir, d).split(path.sep).join('/');
        const entry = pkgs[`${rel ? rel + '/' : ''}node_modules/${name}`];
        if (isRecord(entry) && typeof entry.version === 'string') {
          own = `${rel ? rel + '/' : ''}node_modules/${name}`;
          push(out, { name, version: entry.version, via: null });
          break;
        }
      }
      for (const [key, entry] of Object.entries(pkgs)) {
        if (key === own || !key.endsWith(`node_modules/${name}`) || !isRecord(entry)) continue;
        if (typeof entry.version !== 'string') continue;
        const parent = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/node_modules\/[^]*$/.exec(key);
        if (parent) push(out, { name, version: entry.version, via: parent[1]! });
      }
    }
    return out;
  }
  // v1: a tree of `dependencies`, each with its own nested `dependencies`.
  const walk = (deps: unknown, via: string | null, depth: number): void => {
    if (!isRecord(deps) || depth > 8) return;
    for (const [key, entry] of Object.entries(deps)) {
      if (!isRecord(entry)) continue;
      if (names.includes(key) && typeof entry.version === 'string' && bareVersion(entry.version))
        push(out, { name: key, version: entry.version, via });
      walk(entry.dependencies, key, depth + 1);
    }
  };
  walk(lock.dependencies, null, 0);
  return out;
}

function ancestorsWithin(dir: string, stop: string): string[] {
  const out: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    const rel = path.relative(stop, d);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return out;
    out.push(d);
    if (d === stop || path.dirname(d) === d) return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Line-oriented YAML subset (pnpm-lock.yaml, Berry's yarn.lock)

interface KeyLine {
  indent: number;
  key: string;
  value: string;
}

/** `  '@scope/name@1.0.0':`, `    version: 1.17.0`, `      '@anthropic-ai/sdk': 0.122.0` → parts. */
function keyLine(line: string): KeyLine | null {
  const m = /^( *)(?:'([^']*)'|"([^"]*)"|([^\s'"#][^:]*?)):(?:\s+(.*?))?\s*$/.exec(line);
  if (!m) return null;
  return { indent: m[1]!.length, key: m[2] ?? m[3] ?? m[4]!, value: (m[5] ?? '').replace(/^['"]|['"]$/g, '') };
}

/** Calls `f(path, value)` for every key line, `path` being the keys from the top. */
function walkYaml(text: string, f: (keys: string[], value: string) => void): void {
  const stack: { indent: number; key: string }[] = [];
  const lines = text.split(/\r?\n/, MAX_LINES);
  for (const line of lines) {
    if (line.trim() === '' || /^\s*#/.test(line)) continue;
    const k = keyLine(line);
    if (!k) continue;
    while (stack.length && stack[stack.length - 1]!.indent >= k.indent) stack.pop();
    stack.push({ indent: k.indent, key: k.key });
    f(
      stack.map((s) => s.key),
      k.value,
    );
  }
}

/** A pnpm package key → its name: `/@scope/n@1.0.0(peer)`, `@scope/n@1.0.0`, v5 `/@scope/n/1.0.0_peer`. */
function pnpmKeyName(key: string): { name: string; version: string | null } | null {
  const k = key.replace(/^\//, '').replace(/\(.*$/, '');
  const at = k.lastIndexOf('@');
  if (at > 0) return { name: k.slice(0, at), version: bareVersion(k.slice(at + 1)) };
  const slash = k.lastIndexOf('/');
  if (slash > 0) return { name: k.slice(0, slash), version: bareVersion(k.slice(slash + 1)) };
  return null;
}

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'];

/**
 * Copies of `names` in a pnpm-lock.yaml (v5 to v9). `importer` is the project's directory
 * relative to the lockfile (`.` or `packages/app`); its direct dependencies are the project's copy.
 */
export function pnpmLockCopies(text: string, importer: string, names: readonly string[]): LockedCopy[] {
  const direct = new Map<string, string>();
  const nested: LockedCopy[] = [];
  const stored = new Set<string>(); // name@version in packages:/snapshots:
  walkYaml(text, (keys, value) => {
    const [top] = keys;
    // importers: <dir>: dependencies: <name>: (version: x | x)
    if (top === 'importers' && keys[1] === importer && DEP_FIELDS.includes(keys[2] ?? '')) {
      const name = keys[3]!;
      if (!names.includes(name)) return;
      const v = keys.length === 4 ? value : keys[4] === 'version' ? value : '';
      const b = v ? bareVersion(v) : null;
      if (b && !direct.has(name)) direct.set(name, b);
      return;
    }
    // v5/v6 single project: dependencies: <name>: (version: x | x)
    if (DEP_FIELDS.includes(top ?? '') && keys.length >= 2 && names.includes(keys[1]!) && importer === '.') {
      const v = keys.length === 2 ? value : keys[2] === 'version' ? value : '';
      const b = v ? bareVersion(v) : null;
      if (b && !direct.has(keys[1]!)) direct.set(keys[1]!, b);
      return;
    }
    if ((top === 'packages' || top === 'snapshots') && keys.length >= 2) {
      const owner = pnpmKeyName(keys[1]!);
      if (!owner) return;
      if (keys.length === 2 && names.includes(owner.name) && owner.version)
        stored.add(`${owner.name}@${owner.version}`);
      if (keys.length === 4 && keys[2] === 'dependencies' && names.includes(keys[3]!)) {
        const b = bareVersion(value);
        if (b && owner.name !== keys[3]) nested.push({ name: keys[3]!, version: b, via: owner.name });
      }
    }
  });
  const out: LockedCopy[] = [];
  for (const [name, version] of direct) push(out, { name, version, via: null });
  for (const c of nested) if (direct.get(c.name) !== c.version) push(out, c);
  // Stored copies nothing above accounts for (a store entry whose dependent is unknown).
  if (out.length === 0) {
    for (const s of stored) {
      const at = s.lastIndexOf('@');
      push(out, { name: s.slice(0, at), version: s.slice(at + 1), via: null });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// yarn.lock: v1 (`"a@^1":\n  version "1.2.3"`) and Berry (`"a@npm:^1":\n  version: 1.2.3`)

interface YarnBlock {
  descriptors: { name: string; range: string }[];
  version: string | null;
  deps: { name: string; range: string }[];
}

/** `@scope/name@npm:^1.0.0` → name and range (`npm:` dropped); aliases keep their own name. */
function descriptor(text: string): { name: string; range: string } | null {
  const s = text.trim().replace(/^"|"$/g, '');
  const at = s.indexOf('@', 1);
  if (at <= 0) return null;
  return { name: s.slice(0, at), range: s.slice(at + 1).replace(/^npm:/, '') };
}

function yarnBlocks(text: string): YarnBlock[] {
  const blocks: YarnBlock[] = [];
  let cur: YarnBlock | null = null;
  let inDeps = false;
  for (const line of text.split(/\r?\n/, MAX_LINES)) {
    if (line.trim() === '' || /^\s*#/.test(line)) continue;
    if (!/^\s/.test(line)) {
      inDeps = false;
      cur = null;
      if (!line.endsWith(':') || line.startsWith('__metadata')) continue;
      const descs = line
        .slice(0, -1)
        .split(/,\s*/)
        .map(descriptor)
        .filter((d): d is { name: string; range: string } => d !== null);
      cur = { descriptors: descs, version: null, deps: [] };
      blocks.push(cur);
      continue;
    }
    if (!cur) continue;
    const indent = /^ */.exec(line)![0].length;
    const body = line.trim();
    if (indent <= 2) {
      inDeps = /^(?:dependencies|optionalDependencies):?$/.test(body);
      const v = /^version:?\s+"?([^"\s]+)"?$/.exec(body);
      if (v) cur.version = bareVersion(v[1]!);
      continue;
    }
    if (!inDeps) continue;
    // v1: `"@scope/n" "^1.0.0"` or `n "^1"`; Berry: `"@scope/n": "npm:^1.0.0"` or `n: "npm:^1"`.
    const m = /^("(?:[^"]+)"|[^\s:"]+):?\s+"?([^"]*)"?$/.exec(body);
    if (m) cur.deps.push({ name: m[1]!.replace(/^"|"$/g, ''), range: m[2]!.replace(/^npm:/, '') });
  }
  return blocks;
}

/**
 * Copies of `names` in a yarn.lock. `declared` is the project's own range of each name (from its
 * package.json): the block holding that descriptor is the project's copy. Berry lockfiles also
 * record the workspace's own dependencies (`app@workspace:.`), used when package.json says nothing.
 */
export function yarnLockCopies(
  text: string,
  declared: Readonly<Record<string, string>>,
  names: readonly string[],
): LockedCopy[] {
  const blocks = yarnBlocks(text);
  const versionOf = (name: string, range: string): string | null =>
    blocks.find((b) => b.descriptors.some((d) => d.name === name && d.range === range))?.version ?? null;
  const out: LockedCopy[] = [];
  for (const name of names) {
    let range = declared[name];
    if (range === undefined) {
      const ws = blocks.find((b) => b.descriptors.some((d) => d.range.startsWith('workspace:.')));
      range = ws?.deps.find((d) => d.name === name)?.range;
    }
    const own = range !== undefined ? versionOf(name, range) : null;
    if (own) push(out, { name, version: own, via: null });
    for (const b of blocks) {
      const owner = b.descriptors[0];
      if (!owner || owner.name === name || owner.range.startsWith('workspace:')) continue;
      for (const d of b.deps) {
        if (d.name !== name) continue;
        const v = versionOf(name, d.range);
        if (v && v !== own) push(out, { name, version: v, via: owner.name });
      }
    }
    if (!out.some((c) => c.name === name)) {
      // Nothing says who uses it: every locked version, as the project's.
      for (const b of blocks)
        if (b.version && b.descriptors.some((d) => d.name === name)) push(out, { name, version: b.version, via: null });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// bun.lock (text, JSONC: trailing commas; comments tolerated)

/** JSONC → JSON: drops comments, then trailing commas, outside strings. */
export function stripJsonc(text: string): string {
  return scanJson(scanJson(text, 'comments'), 'commas');
}

function scanJson(text: string, drop: 'comments' | 'commas'): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
      continue;
    }
    if (drop === 'comments' && ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
      continue;
    }
    if (drop === 'comments' && ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (drop === 'commas' && ch === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (text[j] === '}' || text[j] === ']') continue;
    }
    out += ch;
  }
  return out;
}

/** Copies of `names` in a parsed bun.lock: `packages` keyed by install path (`a/b` = b nested under a). */
export function bunLockCopies(lock: unknown, names: readonly string[]): LockedCopy[] {
  const out: LockedCopy[] = [];
  if (!isRecord(lock) || !isRecord(lock.packages)) return out;
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
    const resolved = descriptor(entry[0]); // "@anthropic-ai/sdk@0.122.0"
    if (!resolved) continue;
    const version = bareVersion(resolved.range);
    if (!version || !names.includes(resolved.name)) continue;
    if (key === resolved.name) push(out, { name: resolved.name, version, via: null });
    else if (key.endsWith(`/${resolved.name}`)) {
      const parent = key.slice(0, -resolved.name.length - 1);
      const m = /((?:@[^/]+\/)?[^/@]+)$/.exec(parent);
      push(out, { name: resolved.name, version, via: m ? m[1]! : parent });
    }
  }
  return out;
}
