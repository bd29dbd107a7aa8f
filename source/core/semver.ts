// The npm range forms a package.json or lockfile uses, read the way npm reads them (node-semver 7
// semantics): `^`, `~`, comparators (`>=`, `>`, `<=`, `<`, `=`), x-ranges (`1.x`, `1.2.*`, `*`),
// hyphen ranges (`1.2.3 - 2`), `||`. Pure and small: the tool has no runtime dependencies.
// Prereleases satisfy a range only when a comparator names a prerelease of the same x.y.z.

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated identifiers after `-`; numeric ones as numbers. */
  pre: (string | number)[];
}

type Op = '>=' | '>' | '<=' | '<' | '=';
interface Comparator {
  op: Op;
  v: SemVer;
}
/** One `||` alternative: every comparator must hold. An empty set allows everything. */
type ComparatorSet = Comparator[];

const MAX_LEN = 256;
const NUM = /^(?:0|[1-9]\d{0,15})$/;

/** An exact version (`1.2.3`, `v1.2.3`, `1.2.3-beta.1+build`), or null. */
export function parseVersion(text: string): SemVer | null {
  if (text.length > MAX_LEN) return null;
  const m = /^\s*[v=]?\s*(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?\s*$/.exec(
    text,
  );
  if (!m || !NUM.test(m[1]!) || !NUM.test(m[2]!) || !NUM.test(m[3]!)) return null;
  const pre = m[4] ? m[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [];
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre };
}

export function compare(a: SemVer, b: SemVer): number {
  const d = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (d !== 0) return Math.sign(d);
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

const ver = (major: number, minor: number, patch: number, pre: (string | number)[] = []): SemVer => ({
  major,
  minor,
  patch,
  pre,
});

/** A partial version: `1`, `1.2`, `1.2.x`, `*`, `1.2.3-rc.1`. Missing/wild parts are null. */
interface Partial {
  major: number | null;
  minor: number | null;
  patch: number | null;
  pre: (string | number)[];
}

function parsePartial(text: string): Partial | null {
  const m =
    /^[v=]?\s*(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/.exec(
      text,
    );
  if (!m) return text === '' ? { major: null, minor: null, patch: null, pre: [] } : null;
  const part = (s: string | undefined) => (s === undefined || /^[xX*]$/.test(s) ? null : NUM.test(s) ? Number(s) : NaN);
  const major = part(m[1]);
  let minor = part(m[2]);
  let patch = part(m[3]);
  if ([major, minor, patch].some((n) => Number.isNaN(n))) return null;
  // A wildcard makes everything after it wild (`1.x.3` = `1.x`).
  if (major === null) minor = patch = null;
  if (minor === null) patch = null;
  const pre = m[4] && patch !== null ? m[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [];
  return { major, minor, patch, pre };
}

/** The first version after every version the partial names (`1.2` → `1.3.0-0`). */
function nextAfter(p: Partial): SemVer | null {
  if (p.major === null) return null;
  if (p.minor === null) return ver(p.major + 1, 0, 0, [0]);
  return ver(p.major, p.minor + 1, 0, [0]);
}
const floor = (p: Partial): SemVer => ver(p.major ?? 0, p.minor ?? 0, p.patch ?? 0, p.pre);

function desugar(op: string, p: Partial): Comparator[] | null {
  const exact = p.major !== null && p.minor !== null && p.patch !== null;
  switch (op) {
    case '':
    case '=':
      if (exact) return [{ op: '=', v: floor(p) }];
      return xRange(p);
    case '^': {
      if (p.major === null) return [];
      const lo = floor(p);
      const hi =
        p.major > 0 || p.minor === null
          ? ver(p.major + 1, 0, 0, [0])
          : p.minor > 0 || p.patch === null
            ? ver(0, p.minor + 1, 0, [0])
            : ver(0, 0, p.patch + 1, [0]);
      return [
        { op: '>=', v: lo },
        { op: '<', v: hi },
      ];
    }
    case '~':
    case '~>': {
      if (p.major === null) return [];
      const hi = p.minor === null ? ver(p.major + 1, 0, 0, [0]) : ver(p.major, p.minor + 1, 0, [0]);
      return [
        { op: '>=', v: floor(p) },
        { op: '<', v: hi },
      ];
    }
    case '>':
      if (p.major === null) return [{ op: '<', v: ver(0, 0, 0, [0]) }]; // `>*` allows nothing
      if (exact) return [{ op: '>', v: floor(p) }];
      return [{ op: '>=', v: { ...nextAfter(p)!, pre: [] } }];
    case '>=':
      return p.major === null ? [] : [{ op: '>=', v: floor(p) }];
    case '<':
      if (p.major === null) return [{ op: '<', v: ver(0, 0, 0, [0]) }];
      return [{ op: '<', v: exact ? floor(p) : ver(p.major, p.minor ?? 0, 0, [0]) }];
    case '<=':
      if (p.major === null) return [];
      return exact ? [{ op: '<=', v: floor(p) }] : [{ op: '<', v: nextAfter(p)! }];
    default:
      return null;
  }
}

function xRange(p: Partial): Comparator[] {
  if (p.major === null) return [];
  return [
    { op: '>=', v: floor(p) },
    { op: '<', v: nextAfter(p)! },
  ];
}

function parseSet(text: string): ComparatorSet | null {
  const s = text.trim();
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(s);
  if (hyphen) {
    const a = parsePartial(hyphen[1]!);
    const b = parsePartial(hyphen[2]!);
    if (!a || !b) return null;
    const out: Comparator[] = a.major === null ? [] : [{ op: '>=', v: floor(a) }];
    if (b.major !== null)
      out.push(b.minor !== null && b.patch !== null ? { op: '<=', v: floor(b) } : { op: '<', v: nextAfter(b)! });
    return out;
  }
  // Operators may be separated from their version by spaces (`>= 1.2.3`).
  const tokens = s
    .replace(/(<=|>=|~>|[<>=^~])\s+/g, '$1')
    .split(/\s+/)
    .filter(Boolean);
  const out: Comparator[] = [];
  for (const t of tokens) {
    const m = /^(<=|>=|~>|[<>=^~])?(.*)$/.exec(t)!;
    const p = parsePartial(m[2]!);
    if (!p) return null;
    const cs = desugar(m[1] ?? '', p);
    if (!cs) return null;
    out.push(...cs);
  }
  return out;
}

export type Range = ComparatorSet[];

/** A range in npm's grammar, or null when it is not one (a tag, URL, `workspace:`, garbage). */
export function parseRange(text: string): Range | null {
  if (text.length > MAX_LEN) return null;
  const sets: Range = [];
  for (const alt of text.split('||')) {
    const set = parseSet(alt);
    if (!set) return null;
    sets.push(set);
  }
  return sets;
}

function test(c: Comparator, v: SemVer): boolean {
  const d = compare(v, c.v);
  switch (c.op) {
    case '=':
      return d === 0;
    case '>':
      return d > 0;
    case '>=':
      return d >= 0;
    case '<':
      return d < 0;
    case '<=':
      return d <= 0;
  }
}

function setAllows(set: ComparatorSet, v: SemVer, includePrerelease: boolean): boolean {
  if (!set.every((c) => test(c, v))) return false;
  if (v.pre.length === 0 || includePrerelease) return true;
  // A prerelease counts only when a comparator names a prerelease of the same x.y.z.
  return set.some((c) => c.v.pre.length > 0 && c.v.major === v.major && c.v.minor === v.minor && c.v.patch === v.patch);
}

export function satisfies(version: string | SemVer, range: string | Range, includePrerelease = false): boolean {
  const v = typeof version === 'string' ? parseVersion(version) : version;
  const r = typeof range === 'string' ? parseRange(range) : range;
  return !!v && !!r && r.some((set) => setAllows(set, v, includePrerelease));
}

/** The highest of `versions` the range allows (npm's choice among published versions), or null. */
export function maxSatisfying(versions: readonly string[], range: string): string | null {
  const r = parseRange(range);
  if (!r) return null;
  let best: { text: string; v: SemVer } | null = null;
  for (const text of versions) {
    const v = parseVersion(text);
    if (v && r.some((set) => setAllows(set, v, false)) && (!best || compare(v, best.v) > 0)) best = { text, v };
  }
  return best?.text ?? null;
}

// ---------------------------------------------------------------------------------------------
// Intervals: which of several version bands holds the highest version a range allows

interface Bound {
  v: SemVer;
  inclusive: boolean;
}
interface Interval {
  lo: Bound | null; // null: from 0.0.0
  hi: Bound | null; // null: unbounded
}

function intervalOf(set: ComparatorSet): Interval | null {
  let lo: Bound | null = null;
  let hi: Bound | null = null;
  const raise = (b: Bound) => {
    const d = lo ? compare(b.v, lo.v) : 1;
    if (d > 0 || (d === 0 && lo!.inclusive && !b.inclusive)) lo = b;
  };
  const lower = (b: Bound) => {
    const d = hi ? compare(b.v, hi.v) : -1;
    if (d < 0 || (d === 0 && hi!.inclusive && !b.inclusive)) hi = b;
  };
  for (const c of set) {
    if (c.op === '=' || c.op === '>=' || c.op === '>') raise({ v: c.v, inclusive: c.op !== '>' });
    if (c.op === '=' || c.op === '<=' || c.op === '<') lower({ v: c.v, inclusive: c.op !== '<' });
  }
  const l = lo as Bound | null;
  const h = hi as Bound | null;
  if (l && h) {
    const d = compare(l.v, h.v);
    if (d > 0 || (d === 0 && !(l.inclusive && h.inclusive))) return null;
  }
  return { lo: l, hi: h };
}

function intersect(a: Interval, b: Interval): Interval | null {
  return intervalOf([
    ...(a.lo ? [{ op: a.lo.inclusive ? '>=' : '>', v: a.lo.v } as Comparator] : []),
    ...(a.hi ? [{ op: a.hi.inclusive ? '<=' : '<', v: a.hi.v } as Comparator] : []),
    ...(b.lo ? [{ op: b.lo.inclusive ? '>=' : '>', v: b.lo.v } as Comparator] : []),
    ...(b.hi ? [{ op: b.hi.inclusive ? '<=' : '<', v: b.hi.v } as Comparator] : []),
  ]);
}

/** Orders the tops of intervals: unbounded is highest; at the same version, inclusive is higher. */
function compareTop(a: Bound | null, b: Bound | null): number {
  if (!a || !b) return a === b ? 0 : a ? -1 : 1;
  return compare(a.v, b.v) || (a.inclusive === b.inclusive ? 0 : a.inclusive ? 1 : -1);
}

/**
 * Which band (each a range: `<1.0.0`, `>=1.0.0`) holds the highest version `range` allows — what
 * `npm install` brings, whatever the newest published release is. Null when the range is not
 * one npm reads, or allows nothing in any band.
 */
export function bandOfHighest<T>(range: string, bands: readonly { range: string; value: T }[]): T | null {
  const r = parseRange(range);
  if (!r) return null;
  let best: { top: Bound | null; value: T } | null = null;
  for (const band of bands) {
    const br = parseRange(band.range);
    if (!br) continue;
    for (const a of r) {
      const ia = intervalOf(a);
      if (!ia) continue;
      for (const b of br) {
        const ib = intervalOf(b);
        const both = ib && intersect(ia, ib);
        if (both && (!best || compareTop(both.hi, best.top) > 0)) best = { top: both.hi, value: band.value };
      }
    }
  }
  return best?.value ?? null;
}
