// Generators of the leak fuzz suite: secrets of every shape, placed in every place the tool reads
// or is told things, damaged the way pastes and servers damage them. Seeded and reproducible: a
// case is (seed, index). Every string that looks like a credential is made here at run time.
import { fakeKey, randomBody } from '../../source/emulator/keys.js';
import { prng } from '../helpers/discovery.js';

/** Cases in `npm test` unless C401_FUZZ_RUNS says otherwise (`npm run fuzz` sets a larger count). */
export const RUNS = Number(process.env.C401_FUZZ_RUNS ?? '') || 2400;
/** The seed of this run: C401_FUZZ_SEED replays one; otherwise fixed in `npm test` so CI is stable. */
export const SEED = Number(process.env.C401_FUZZ_SEED ?? '') || 0x401c0de;

export type Random = () => number;

const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Random, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function base62(r: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += BASE62[Math.floor(r() * 62)];
  return s;
}

/** Shapes of secrets: Anthropic's five, other providers', Vault, and prefix-less random tokens. */
export const SHAPES = {
  api03: (r: Random) => fakeKey('api', r),
  admin01: (r: Random) => fakeKey('admin', r),
  oat01: (r: Random) => fakeKey('oat', r),
  ort01: (r: Random) => fakeKey('ort', r),
  sid01: (r: Random) => fakeKey('sid', r),
  openai: (r: Random) => 'sk-' + 'proj-' + randomBody(int(r, 40, 120), r),
  openrouter: (r: Random) => 'sk-' + 'or-v1-' + base62(r, 64).toLowerCase(),
  aws: (r: Random) => 'AK' + 'IA' + base62(r, 16).toUpperCase(),
  google: (r: Random) => 'AI' + 'za' + randomBody(35, r),
  github: (r: Random) => 'gh' + 'p_' + base62(r, 36),
  groq: (r: Random) => 'gs' + 'k_' + base62(r, 52),
  vault: (r: Random) => 'hv' + 's.' + randomBody(int(r, 24, 92), r),
  random: (r: Random) => (r() < 0.5 ? base62(r, int(r, 20, 64)) : randomBody(int(r, 20, 64), r)),
} as const;
export type Shape = keyof typeof SHAPES;

/** Where a secret sits. */
export const PLACEMENTS = [
  'env',
  'dotenv',
  'shell',
  'settings-env',
  'helper',
  'custom-header',
  'proxy',
  'pasted',
  'echo',
] as const;
export type Placement = (typeof PLACEMENTS)[number];

/** What breaks a key in a paste or an echo, and what can be interleaved in it. */
export const BREAKS = [' ', '\n', '\r\n', '\t', '\u00a0', '  \n  ', '\n\t'];
export const INVISIBLES = ['\u200b', '\u00ad', '\u2060', '\ufeff', '\u200c', '\u200d', '\u00a0', '\r', '\t'];

export type Damage =
  { kind: 'none' } | { kind: 'break'; at: number; with: string } | { kind: 'interleave'; every: number; with: string };

export function damage(r: Random, secret: string): Damage {
  const k = r();
  if (k < 0.3) return { kind: 'none' };
  if (k < 0.7) return { kind: 'break', at: int(r, 1, secret.length - 1), with: pick(r, BREAKS) };
  return { kind: 'interleave', every: int(r, 1, 12), with: pick(r, INVISIBLES) };
}

export function applyDamage(secret: string, d: Damage): string {
  switch (d.kind) {
    case 'none':
      return secret;
    case 'break':
      return secret.slice(0, d.at) + d.with + secret.slice(d.at);
    case 'interleave': {
      let out = '';
      for (let i = 0; i < secret.length; i++) out += (i > 0 && i % d.every === 0 ? d.with : '') + secret[i];
      return out;
    }
  }
}

/** Texts a person pastes: SDK errors, curl output, logs; `{k}` is where the (damaged) key goes. */
const PASTES = [
  `Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}\nKey: {k}\n    at Object.<anonymous> (/app/index.js:12:5)`,
  `anthropic.AuthenticationError: Error code: 401 - {'type': 'error', 'error': {'type': 'authentication_error', 'message': 'invalid x-api-key'}}\n(the key was {k})`,
  `$ curl https://api.anthropic.com/v1/messages -H "x-api-key: {k}"\n{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`,
  `401 Unauthorized: token {k} rejected`,
  `Invalid bearer token\nAuthorization: Bearer {k}\n`,
  `env dump:\nMY_TOKEN={k}\nPATH=/usr/bin`,
  `{k}`,
];
/** What a server says back (a gateway echoing a header, a proxy logging its request). */
const ECHOES = [
  `{"type":"error","error":{"type":"authentication_error","message":"invalid token: {k}"}}`,
  `{"error":{"message":"Gateway rejected header X-Gateway-Token={k}"}}`,
  `<html><body>401: bad credentials {k}</body></html>`,
  `{"message":"Unauthorized","received":{"x-api-key":"{k}"}}`,
];

/** apiKeyHelper commands holding the secret; `{k}` as written in settings.json. */
const HELPERS = [
  `curl -s -H 'X-Vault-Token: {k}' https://vault.example/v1/secret/data/anthropic`,
  `VAULT_TOKEN={k} vault kv get -field=key secret/anthropic`,
  `echo {k}`,
  `op read "op://Private/anthropic/{k}"`,
  `sh -c 'printf %s {k}'`,
];

export interface Case {
  index: number;
  shape: Shape;
  placement: Placement;
  secret: string;
  damage: Damage;
  /** The text the tool reads or is told (assignment line, command, header block, URL, paste, echo). */
  text: string;
  /** Variable name / quoting / template used. */
  detail: string;
}

/** Case `index` of run `seed`: shape and placement cycle (every pair is covered), the rest is random. */
export function makeCase(seed: number, index: number): Case {
  const r = prng(seed ^ Math.imul(index + 1, 0x9e3779b1));
  const shapes = Object.keys(SHAPES) as Shape[];
  const shape = shapes[index % shapes.length]!;
  const placement = PLACEMENTS[Math.floor(index / shapes.length) % PLACEMENTS.length]!;
  const secret = SHAPES[shape](r);
  const quote = pick(r, ['', '"', "'"]);
  const dmg = placement === 'pasted' || placement === 'echo' ? damage(r, secret) : { kind: 'none' as const };
  const damaged = applyDamage(secret, dmg);
  const name = pick(r, ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN', 'ANTHROPIC_KEY']);
  let text: string;
  let detail = name;
  switch (placement) {
    case 'env':
      text = secret;
      break;
    case 'dotenv':
      text = `${name}=${quote}${secret}${quote}`;
      break;
    case 'shell':
      text = `export ${name}=${quote}${secret}${quote}`;
      break;
    case 'settings-env':
      text = JSON.stringify({ env: { [name]: secret } });
      break;
    case 'helper':
      detail = pick(r, HELPERS);
      text = detail.replace('{k}', secret);
      break;
    case 'custom-header':
      detail = pick(r, ['X-Gateway-Token', 'X-Api-Token', 'Proxy-Authorization', 'cf-access-token']);
      text = `${detail}: ${secret}\nanthropic-beta: oauth-2025-04-20`;
      break;
    case 'proxy':
      detail = pick(r, ['http://alice:{k}@127.0.0.1:9', 'http://{k}@127.0.0.1:9', 'alice:{k}@127.0.0.1:9']);
      text = detail.replace('{k}', encodeURIComponent(secret));
      break;
    case 'pasted':
      detail = pick(r, PASTES);
      text = detail.replace('{k}', damaged);
      break;
    case 'echo':
      detail = pick(r, ECHOES);
      text = detail.replace('{k}', damaged);
      break;
  }
  return { index, shape, placement, secret, damage: dmg, text, detail };
}

/** A count per family (shape, placement, damage) for the test output. */
export function tally(cases: Case[]): string {
  const count = (f: (c: Case) => string) => {
    const m = new Map<string, number>();
    for (const c of cases) m.set(f(c), (m.get(f(c)) ?? 0) + 1);
    return [...m].map(([k, v]) => `${k} ${v}`).join(', ');
  };
  return [
    `shapes: ${count((c) => c.shape)}`,
    `placements: ${count((c) => c.placement)}`,
    `damage: ${count((c) => c.damage.kind)}`,
  ].join('\n');
}
