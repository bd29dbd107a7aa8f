// Fake credentials made at run time, shaped exactly like real ones (fact sheet §1), so that no
// string in the repository looks like a real credential. Used by tests and by `demo`.
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** `n` characters of the URL-safe base64 alphabet. `random` (0..1) makes it reproducible. */
export function randomBody(n: number, random?: () => number): string {
  let out = '';
  if (random) {
    for (let i = 0; i < n; i++) out += ALPHABET[Math.floor(random() * 64) % 64];
    return out;
  }
  const bytes = randomBytes(n);
  for (let i = 0; i < n; i++) out += ALPHABET[bytes[i]! & 63];
  return out;
}

export type FakeKind = 'api' | 'admin' | 'oat' | 'ort' | 'sid';

const PREFIX: Record<FakeKind, string> = {
  api: 'sk-ant-' + 'api03-',
  admin: 'sk-ant-' + 'admin01-',
  oat: 'sk-ant-' + 'oat01-',
  ort: 'sk-ant-' + 'ort01-',
  sid: 'sk-ant-' + 'sid01-',
};

/** A well-formed fake: api/admin = prefix + 93 + "AA" (108 / 110 chars); oat/ort/sid = prefix + 95. */
export function fakeKey(kind: FakeKind = 'api', random?: () => number): string {
  if (kind === 'api' || kind === 'admin') return PREFIX[kind] + randomBody(93, random) + 'AA';
  return PREFIX[kind] + randomBody(95, random);
}
