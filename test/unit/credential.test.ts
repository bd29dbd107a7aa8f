import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeChar,
  fingerprint,
  kindOf,
  lintKey,
  looksLikePlaceholder,
  showInvisible,
  type LintContext,
} from '../../source/core/credential.js';
import { leakedWindow } from '../helpers/leak.js';
import type { ClientModel, Finding } from '../../source/core/types.js';
import { fakeKey, randomBody, type FakeKind } from '../../source/emulator/keys.js';
import { prng } from '../helpers/discovery.js';

// Prefixes are built from pieces so no line here looks like a real credential.
const SK = 'sk-' + 'ant-';
const P = { api: SK + 'api03-', admin: SK + 'admin01-', oat: SK + 'oat01-', ort: SK + 'ort01-', sid: SK + 'sid01-' };

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
function from(alphabet: string, n: number): string {
  return randomBody(n)
    .split('')
    .map((c) => alphabet[c.charCodeAt(0) % alphabet.length])
    .join('');
}

const ctx = (over: Partial<LintContext> = {}): LintContext => ({
  name: 'ANTHROPIC_API_KEY',
  source: 'env:ANTHROPIC_API_KEY',
  consumers: ['sdk-py'],
  ...over,
});
const ids = (fs: Finding[]) => fs.map((f) => f.id).sort();
const only = (fs: Finding[], id: string) => {
  const f = fs.find((x) => x.id === id);
  if (!f) throw new Error(`no ${id} in ${JSON.stringify(ids(fs))}`);
  return f;
};

// ---------------------------------------------------------------------------------------------

const FOREIGN: [string, () => string, string][] = [
  ['sk-proj-', () => 'sk-' + 'proj-' + randomBody(40), 'OpenAI'],
  ['sk-svcacct-', () => 'sk-' + 'svcacct-' + randomBody(40), 'OpenAI'],
  ['sk-', () => 'sk-' + from(ALNUM, 48), 'OpenAI'],
  ['sk-or-v1-', () => 'sk-' + 'or-v1-' + from(ALNUM, 64), 'OpenRouter'],
  ['AKIA', () => 'AK' + 'IA' + from(UPPER_DIGITS, 16), 'AWS'],
  ['ASIA', () => 'AS' + 'IA' + from(UPPER_DIGITS, 16), 'AWS'],
  ['ABSK', () => 'AB' + 'SK' + from(ALNUM, 60), 'AWS Bedrock'],
  ['AIza', () => 'AI' + 'za' + randomBody(35), 'Google'],
  ['gsk_', () => 'gsk' + '_' + from(ALNUM, 52), 'Groq'],
  ['xai-', () => 'xai' + '-' + from(ALNUM, 80), 'xAI'],
  ['hf_', () => 'hf' + '_' + from(ALNUM, 34), 'Hugging Face'],
  ['ghp_', () => 'ghp' + '_' + from(ALNUM, 36), 'GitHub'],
  ['github_pat_', () => 'github' + '_pat_' + from(ALNUM, 82), 'GitHub'],
];

describe('kindOf and fingerprint', () => {
  it.each([
    ['api', 'api_key', P.api],
    ['admin', 'admin_key', P.admin],
    ['oat', 'oauth_access', P.oat],
    ['ort', 'oauth_refresh', P.ort],
    ['sid', 'session_cookie', P.sid],
  ] as [FakeKind, string, string][])(
    '%s keys: kind %s, fingerprint "<prefix>…<last 4> (N chars)"',
    (k, kind, prefix) => {
      const key = fakeKey(k);
      expect(kindOf(key)).toEqual({ kind, prefix });
      expect(fingerprint(key)).toBe(`${prefix}…${key.slice(-4)} (${key.length} chars)`);
    },
  );

  it.each(FOREIGN)('foreign %s: names the provider', (prefix, make, provider) => {
    const key = make();
    expect(kindOf(key)).toEqual({ kind: 'foreign', prefix, provider });
    expect(fingerprint(key)).toBe(`${prefix}…${key.slice(-4)} (${key.length} chars)`);
  });

  it('shows no characters under 20, and no prefix when none is known', () => {
    expect(fingerprint('abc123')).toBe('… (6 chars)');
    expect(fingerprint('x')).toBe('… (1 char)');
    expect(fingerprint('')).toBe('… (0 chars)');
    expect(fingerprint(P.api + 'abcdef')).toBe('… (19 chars)');
    expect(fingerprint('abcdefghijklmnopqrst')).toBe('…qrst (20 chars)');
    expect(fingerprint(P.api + '1234567')).toBe(`${P.api}…4567 (20 chars)`);
  });

  it('takes the last 4 from the raw value, escaped so the fingerprint stays one line', () => {
    const key = fakeKey('api');
    expect(fingerprint(key + '\n')).toBe(`${P.api}…${key.slice(-3)}\\n (109 chars)`);
    expect(fingerprint(key + '\r\n')).toBe(`${P.api}…${key.slice(-2)}\\r\\n (110 chars)`);
    expect(fingerprint(key + '\u200b')).toBe(`${P.api}…${key.slice(-3)}\\u200B (109 chars)`);
    expect(fingerprint(key + ' \t')).toBe(`${P.api}…${key.slice(-2)}\\x20\\t (110 chars)`);
    expect(fingerprint(key + '\x1b[0m')).toBe(`${P.api}…\\x1B[0m (112 chars)`);
    // N counts UTF-16 code units; an astral character is one of the last 4.
    expect(fingerprint(key + '😀')).toBe(`${P.api}…${key.slice(-3)}😀 (110 chars)`);
  });

  it('recognises a damaged key by what it was meant to be', () => {
    const key = fakeKey('api');
    for (const v of [
      ` "Bearer ${key}"\n`,
      `bearer ${key}`,
      `\u201c${key}\u201d`,
      key.slice(0, 50) + '\u200b' + key.slice(50),
      '\ufeff' + key,
      key.replace(/-/g, '\u2013'),
    ]) {
      expect(kindOf(v)).toEqual({ kind: 'api_key', prefix: P.api });
    }
    expect(kindOf('hello world').kind).toBe('unknown');
    expect(kindOf(SK + 'zzz01-' + randomBody(40))).toEqual({ kind: 'unknown', prefix: SK + 'zzz01-' });
  });

  it('property: one line, exact length, ends in the raw value, never 8 secret characters', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 150 }),
        fc.constantFrom('', P.api, P.oat, 'AIza'),
        (s, prefix) => {
          const v = prefix + s;
          const fp = fingerprint(v);
          expect(fp).not.toMatch(/[\n\r\x1b\u2028\u2029]/);
          expect(fp.endsWith(`(${v.length} char${v.length === 1 ? '' : 's'})`)).toBe(true);
          expect(leakedWindow(fp, v)).toBeNull();
        },
      ),
    );
  });
});

describe('showInvisible', () => {
  it('keeps exactly the letters, digits, punctuation and symbols; every other code point becomes an escape', () => {
    const visible = /[\p{L}\p{N}\p{P}\p{S}]/u;
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0x2ffff; cp++) {
      if ((cp >= 0xd800 && cp <= 0xdfff) || cp === 0x09 || cp === 0x0a || cp === 0x0d) continue;
      const ch = String.fromCodePoint(cp);
      const shown = showInvisible(ch);
      const escaped = shown.startsWith('\\x') || shown.startsWith('\\u');
      if (visible.test(ch) ? shown !== ch : !escaped) wrong.push(cp.toString(16));
    }
    expect(wrong).toEqual([]);
    expect(showInvisible('a\tb\nc\r d\u200b')).toBe('a\\tb\\nc\\r\\x20d\\u200B');
  });
});

describe('the same value asked about again (answers are remembered)', () => {
  it('gives the same kinds, fingerprints and findings in any order, past the memo size', () => {
    const rnd = prng(7);
    const damage = ['', ' ', '\n', '"', '\u200b', 'Bearer ', '\u2013'];
    // Each key with each damage at its start, middle and end: values that share long prefixes and suffixes.
    const values = Array.from({ length: 20 }, () => P.api + randomBody(93, rnd) + 'AA').flatMap((key) =>
      damage.flatMap((d) => [d + key, key.slice(0, 40) + d + key.slice(40), key + d]),
    );
    const ctx: LintContext = { name: 'ANTHROPIC_API_KEY', source: 'env:ANTHROPIC_API_KEY', consumers: [] };
    const answer = (v: string) => ({ kind: kindOf(v), fingerprint: fingerprint(v), findings: lintKey(v, ctx) });
    const forward = values.map(answer);
    const backward = [...values].reverse().map(answer).reverse();
    expect(backward).toEqual(forward);
    expect(forward.map((a) => a.kind.kind)).toEqual(values.map(() => 'api_key'));
  });
});

describe('describeChar', () => {
  it.each([
    [0x200b, 'U+200B ZERO WIDTH SPACE'],
    [0x200c, 'U+200C ZERO WIDTH NON-JOINER'],
    [0x200d, 'U+200D ZERO WIDTH JOINER'],
    [0x2060, 'U+2060 WORD JOINER'],
    [0xfeff, 'U+FEFF ZERO WIDTH NO-BREAK SPACE (byte order mark)'],
    [0xa0, 'U+00A0 NO-BREAK SPACE'],
    [0xad, 'U+00AD SOFT HYPHEN'],
    [0x201c, 'U+201C LEFT DOUBLE QUOTATION MARK'],
    [0x0a, 'U+000A LINE FEED'],
    [0x01, 'U+0001 (a control character)'],
    [0xe9, 'U+00E9 "é"'],
    [0xe0000 + 0x41, 'U+E0041 (an invisible formatting character)'],
  ])('%i → %s', (cp, name) => expect(describeChar(cp)).toBe(name));
});

// ---------------------------------------------------------------------------------------------

describe('lintKey: one finding per problem, the character and position named', () => {
  const key = fakeKey('api');
  const at = (i: number, s: string) => key.slice(0, i) + s + key.slice(i);

  it('a clean key of every kind that belongs there gives nothing', () => {
    expect(lintKey(key, ctx())).toEqual([]);
    expect(
      lintKey(
        fakeKey('oat'),
        ctx({ name: 'CLAUDE_CODE_OAUTH_TOKEN', source: 'env:CLAUDE_CODE_OAUTH_TOKEN', expects: 'oauth' }),
      ),
    ).toEqual([]);
    expect(lintKey(fakeKey('oat'), ctx({ name: 'ANTHROPIC_AUTH_TOKEN', expects: 'any' }))).toEqual([]);
    expect(lintKey('gateway-token-1234567890', ctx({ name: 'ANTHROPIC_AUTH_TOKEN', expects: 'any' }))).toEqual([]);
    expect(lintKey('', ctx())).toEqual([]);
  });

  const WHITESPACE: [string, string, RegExp][] = [
    ['line break at the end', key + '\n', /a line break at the end/],
    ['CR LF at the end', key + '\r\n', /a carriage return \(CR\) and a line break at the end/],
    ['space at the start', ' ' + key, /a space at the start/],
    ['spaces and a tab at the end', key + '  \t', /2 spaces and a tab at the end/],
    ['line break inside', at(40, '\n'), /a line break at position 41/],
    ['zero-width space', at(40, '\u200b'), /U\+200B ZERO WIDTH SPACE at position 41/],
    ['zero-width non-joiner', at(70, '\u200c'), /U\+200C ZERO WIDTH NON-JOINER at position 71/],
    ['zero-width joiner', at(20, '\u200d'), /U\+200D ZERO WIDTH JOINER at position 21/],
    ['word joiner', at(99, '\u2060'), /U\+2060 WORD JOINER at position 100/],
    [
      'byte order mark',
      '\ufeff' + key,
      /U\+FEFF ZERO WIDTH NO-BREAK SPACE \(byte order mark\) \(position 1\) at the start/,
    ],
    ['no-break space inside', at(13, '\u00a0'), /U\+00A0 NO-BREAK SPACE at position 14/],
    ['soft hyphen', at(60, '\u00ad'), /U\+00AD SOFT HYPHEN at position 61/],
    ['space inside', at(30, ' '), /a space at position 31/],
    ['straight double quotes', `"${key}"`, /straight double quotes around the value/],
    ['straight single quotes', `'${key}'`, /straight single quotes around the value/],
    [
      'smart quotes',
      `\u201c${key}\u201d`,
      /quotes around the value \(U\+201C LEFT DOUBLE QUOTATION MARK … U\+201D RIGHT DOUBLE QUOTATION MARK\)/,
    ],
    ['quote inside', at(50, '"'), /U\+0022 QUOTATION MARK at position 51/],
    ['en dash for a hyphen', key.slice(0, 2) + '\u2013' + key.slice(3), /U\+2013 EN DASH at position 3/],
    [
      'two zero-width spaces',
      at(90, '\u200b').slice(0, 30) + '\u200b' + at(90, '\u200b').slice(30),
      /2× U\+200B ZERO WIDTH SPACE at positions 31, 92/,
    ],
  ];
  it.each(WHITESPACE)('key.whitespace: %s', (_name, value, detail) => {
    const fs = lintKey(value, ctx());
    expect(ids(fs)).toEqual(['key.whitespace']);
    expect(fs[0]!.detail).toMatch(detail);
    expect(fs[0]!.severity).toBe('error');
    expect(leakedWindow(JSON.stringify(fs), value)).toBeNull();
  });

  it('key.whitespace: harmless (warning) only when every consumer trims and the damage is at the ends', () => {
    const tail = lintKey(key + '\n', ctx({ consumers: ['sdk-ts-1', 'sdk-ts-0'] }));
    expect(tail[0]!.severity).toBe('warning');
    expect(tail[0]!.detail).toMatch(
      /Harmless to @anthropic-ai\/sdk 1\.x and @anthropic-ai\/sdk 0\.x, which trim the value/,
    );
    expect(lintKey(key + '\n', ctx({ consumers: ['sdk-ts-1', 'sdk-py'] }))[0]!.severity).toBe('error');
    expect(lintKey(key + '\n', ctx({ consumers: [] }))[0]!.severity).toBe('error');
    expect(lintKey(key + '\n', ctx({ consumers: ['sdk-py'], trims: { 'sdk-py': true } }))[0]!.severity).toBe('warning');
    expect(lintKey(key + '\n', ctx({ consumers: ['sdk-ts-1'], trims: { 'sdk-ts-1': false } }))[0]!.severity).toBe(
      'error',
    );
    // Inside the key nothing trims it away; quotes are never trimmed.
    expect(lintKey(at(40, '\u200b'), ctx({ consumers: ['sdk-ts-1'] }))[0]!.severity).toBe('error');
    expect(lintKey(at(40, '\n'), ctx({ consumers: ['sdk-ts-1'] }))[0]!.detail).toMatch(/never harmless/);
    expect(lintKey(`"${key}"`, ctx({ consumers: ['sdk-ts-1'] }))[0]!.severity).toBe('error');
  });

  it('key.whitespace: says how each consumer breaks', () => {
    const d = lintKey(key + '\n', ctx({ consumers: ['claude-code', 'sdk-py', 'curl', 'sdk-ts-1'] }))[0]!.detail;
    expect(d).toContain(
      'Claude Code (it refuses it: "Invalid X-Api-Key header value from ANTHROPIC_API_KEY: it contains a ' +
        'line break …")',
    );
    expect(d).toContain('the Python SDK (httpx refuses the header before sending)');
    expect(d).toContain('curl (it sends a broken header)');
    expect(d).toContain('Harmless to @anthropic-ai/sdk 1.x');
    const token = lintKey(
      fakeKey('oat') + '\n',
      ctx({ name: 'CLAUDE_CODE_OAUTH_TOKEN', expects: 'oauth', consumers: ['claude-code'] }),
    )[0]!.detail;
    expect(token).toContain('Invalid auth token · Fix external auth token');
  });

  it('key.whitespace: fixes are exact commands for env, edit lines for files', () => {
    expect(lintKey(key + '\n', ctx())[0]!.fix[0]).toBe(
      `export ANTHROPIC_API_KEY="$(printf %s "$ANTHROPIC_API_KEY" | tr -d '[:space:]')"`,
    );
    expect(lintKey(at(40, '\u200b'), ctx())[0]!.fix[0]).toBe(
      `export ANTHROPIC_API_KEY="$(printf %s "$ANTHROPIC_API_KEY" | LC_ALL=C tr -cd 'A-Za-z0-9_-')"`,
    );
    expect(lintKey(key + '\n', ctx({ source: 'file:../.env:3' }))[0]!.fix[0]).toBe(
      'Edit ../.env line 3: remove a line break at the end.',
    );
    expect(lintKey(`Bearer ${key}\n`, ctx())[1]!.fix[0]).toBe(
      `export ANTHROPIC_API_KEY="$(printf %s "\${ANTHROPIC_API_KEY#*Bearer }" | tr -d '[:space:]')"`,
    );
  });

  it('key.whitespace: a value of nothing but whitespace', () => {
    const fs = lintKey('\n', ctx());
    expect(ids(fs)).toEqual(['key.whitespace']);
    expect(fs[0]!.detail).toMatch(/holds no key at all, only a line break/);
  });

  it.each([['Bearer '], ['bearer '], ['BEARER  ']])('key.bearer_prefix: %j', (word) => {
    const fs = lintKey(word + key, ctx());
    expect(ids(fs)).toEqual(['key.bearer_prefix']);
    expect(fs[0]!.detail).toMatch(/starts with "Bearer " at position 1/i);
    expect(fs[0]!.fix[0]).toBe(`export ANTHROPIC_API_KEY="\${ANTHROPIC_API_KEY#*${word}}"`);
  });

  it.each([
    ['cut short', key.slice(0, 80), /has 80 of 108 characters \(28 missing\)/, []],
    [
      'the final AA missing',
      // Not left to chance: a random body may itself end in "AA" (1 in 4,096).
      key.slice(0, 104) + 'xy',
      /has 106 of 108 characters: the final "AA" every key ends with is missing/,
      [],
    ],
    ['an admin key cut short', fakeKey('admin').slice(0, 100), /has 100 of 110 characters/, ['key.admin_key']],
    [
      'an OAuth token cut short',
      P.oat + randomBody(20),
      /has 33 characters; an OAuth access token has at least 53/,
      [],
    ],
  ])('key.truncated: %s', (_n, value, detail, also) => {
    const fs = lintKey(value, ctx({ expects: 'any' }));
    expect(ids(fs)).toEqual([...also, 'key.truncated']);
    expect(only(fs, 'key.truncated').detail).toMatch(detail);
  });

  it.each([
    [
      'pasted twice',
      key + key,
      /holds the sk-ant- prefix twice \(the second at position 109\): the key was pasted twice/,
    ],
    ['pasted twice with a line break between', key + '\n' + key, /second at position 110/],
    ['too long', key + 'Q', /too long: 109 characters where an API key has 108/],
    ['not ending in AA', key.slice(0, -2) + 'Ab', /does not end in "AA"/],
    ['a dot inside', key.slice(0, 56) + '.' + key.slice(57), /"\." at position 57/],
    [
      'base64 characters',
      key.slice(0, 20) + '+' + key.slice(21, 30) + '/' + key.slice(31),
      /"\+" at position 21, "\/" at position 31/,
    ],
    [
      'no Anthropic prefix',
      'hello-world-1234567890abcdef',
      /does not start with an Anthropic prefix \(sk-ant-api03- for an API key\)/,
    ],
    [
      'a variable name pasted with it',
      'ANTHROPIC_API_KEY=' + key,
      /18 characters come before its sk-ant- prefix \(at position 19\)/,
    ],
    ['an unknown type', SK + 'zzz01-' + randomBody(90), /its type sk-ant-zzz01- is not a known Anthropic credential/],
  ])('key.malformed: %s', (_n, value, detail) => {
    const fs = lintKey(value, ctx());
    expect(ids(fs)).toContain('key.malformed');
    expect(ids(fs).filter((i) => i !== 'key.whitespace')).toEqual(['key.malformed']);
    expect(only(fs, 'key.malformed').detail).toMatch(detail);
    expect(only(fs, 'key.malformed').severity).toBe('error');
  });

  it('key.malformed: an unusual version (api04, accepted by secretlint) is a warning, not an error', () => {
    const fs = lintKey(SK + 'api04-' + key.slice(13), ctx());
    expect(ids(fs)).toEqual(['key.malformed']);
    expect(fs[0]!.severity).toBe('warning');
    expect(fs[0]!.title).toMatch(/unusual version/);
    expect(kindOf(SK + 'api04-' + key.slice(13)).kind).toBe('api_key');
  });

  it('expects "any" (a gateway token) does not ask for an Anthropic shape', () => {
    expect(lintKey('no-anthropic-shape.here', ctx({ expects: 'any' }))).toEqual([]);
    expect(lintKey('sk-' + 'or-v1-' + from(ALNUM, 64), ctx({ expects: 'any' }))).toEqual([]);
  });

  it.each(FOREIGN)('key.wrong_provider: %s', (_p, make, provider) => {
    const fs = lintKey(make(), ctx());
    expect(ids(fs)).toEqual(['key.wrong_provider']);
    expect(fs[0]!.detail).toContain(` ${provider} key`);
  });

  it('kinds that do not belong in an API key place', () => {
    expect(ids(lintKey(fakeKey('admin'), ctx()))).toEqual(['key.admin_key']);
    expect(ids(lintKey(fakeKey('oat'), ctx()))).toEqual(['key.oauth_token']);
    expect(lintKey(fakeKey('oat'), ctx())[0]!.fix[0]).toMatch(/CLAUDE_CODE_OAUTH_TOKEN/);
    const ort = lintKey(fakeKey('ort'), ctx({ expects: 'oauth' }));
    expect(ids(ort)).toEqual(['key.wrong_token']);
    expect(ort[0]!.detail).toMatch(/refresh token/);
    const sid = lintKey(fakeKey('sid'), ctx({ expects: 'any' }));
    expect(ids(sid)).toEqual(['key.wrong_token']);
    expect(sid[0]!.detail).toMatch(/session cookie/);
  });

  const PLACEHOLDERS = [
    'your-api-key',
    'YOUR_ANTHROPIC_API_KEY',
    'your_api_key_here',
    'insert-key-here',
    'ANTHROPIC_API_KEY',
    '<your key>',
    '<ANTHROPIC_API_KEY>',
    SK + '...',
    P.api + '...',
    P.api + 'XXXX…',
    P.api + 'X'.repeat(93) + 'AA',
    'xxxxxxxx',
    '********',
    'changeme',
    'TODO',
    'undefined',
    'null',
    '${ANTHROPIC_API_KEY}',
    '$ANTHROPIC_API_KEY',
    '%ANTHROPIC_API_KEY%',
    '{{ secrets.ANTHROPIC_API_KEY }}',
    P.api,
    SK,
    '"your-api-key"',
  ];
  it.each(PLACEHOLDERS)('key.placeholder: %j', (value) => {
    expect(looksLikePlaceholder(value)).toBe(true);
    const fs = lintKey(value, ctx());
    expect(ids(fs)).toEqual(['key.placeholder']);
    expect(fs[0]!.detail).toMatch(/ holds .*, not a key\./);
  });

  it('a placeholder detail quotes only public words, never key-like text', () => {
    expect(lintKey('$ANTHROPIC_API_KEY', ctx())[0]!.detail).toContain(
      'unexpanded variable reference ($ANTHROPIC_API_KEY)',
    );
    const hinted = P.api + key.slice(13, 20) + '...' + key.slice(-4);
    expect(lintKey(hinted, ctx())[0]!.detail).not.toContain(key.slice(13, 20));
    expect(lintKey(`<${key}>`, ctx())[0]!.detail).not.toContain(key.slice(13, 30));
  });
});

// ---------------------------------------------------------------------------------------------

type DamageSpec = {
  kind: FakeKind;
  seed: number;
  cut: number | null; // 0..1 fraction of the key to keep
  doubled: boolean;
  inner: { at: number; ch: string } | null;
  lead: string;
  trail: string;
  quote: [string, string] | null;
  bearer: boolean;
};

const INVISIBLE = [
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u00a0',
  '\u00ad',
  ' ',
  '\t',
  '\n',
  '\r',
  '\u202e',
  '\u3000',
];

const damageArb: fc.Arbitrary<DamageSpec> = fc
  .record({
    kind: fc.constantFrom<FakeKind>('api', 'admin', 'oat'),
    seed: fc.integer(),
    cut: fc.option(fc.double({ min: 0, max: 0.999, noNaN: true }), { nil: null }),
    doubled: fc.boolean(),
    inner: fc.option(
      fc.record({ at: fc.double({ min: 0, max: 0.999, noNaN: true }), ch: fc.constantFrom(...INVISIBLE) }),
      { nil: null },
    ),
    lead: fc.stringMatching(/^[ \t\n]{0,3}$/),
    trail: fc.stringMatching(/^[ \t\n\r]{0,3}$/),
    quote: fc.option(
      fc.constantFrom<[string, string]>(['"', '"'], ["'", "'"], ['\u201c', '\u201d'], ['\u2018', '\u2019']),
      { nil: null },
    ),
    bearer: fc.boolean(),
  })
  .map((d) => (d.doubled ? { ...d, cut: null } : d));

/** Builds the damaged value and the finding ids (and inner position) it must produce. */
function damaged(d: DamageSpec): { value: string; expected: string[]; position: number | null; ch: string | null } {
  const clean = fakeKey(d.kind, prng(d.seed));
  const prefix = P[d.kind];
  const expected = new Set<string>();
  let key = clean;
  if (d.cut !== null) {
    // api/admin: anything shorter than the whole key; oat: shorter than the 40-character minimum body.
    const max = d.kind === 'oat' ? prefix.length + 39 : clean.length - 1;
    key = clean.slice(0, prefix.length + 1 + Math.floor(d.cut * (max - prefix.length)));
    expected.add('key.truncated');
  }
  if (d.doubled) {
    key = key + key;
    expected.add('key.malformed');
  }
  let position: number | null = null;
  if (d.inner) {
    const i = 1 + Math.floor(d.inner.at * (key.length - 1));
    key = key.slice(0, i) + d.inner.ch + key.slice(i);
    position = i;
    expected.add('key.whitespace');
  }
  const [open, close] = d.quote ?? ['', ''];
  const head = d.lead + open + (d.bearer ? 'Bearer ' : '');
  if (position !== null) position += head.length + 1;
  if (d.lead || d.trail || d.quote) expected.add('key.whitespace');
  if (d.bearer) expected.add('key.bearer_prefix');
  if (d.kind === 'admin') expected.add('key.admin_key');
  if (d.kind === 'oat') expected.add('key.oauth_token');
  return { value: head + key + close + d.trail, expected: [...expected].sort(), position, ch: d.inner?.ch ?? null };
}

describe('lintKey properties', () => {
  it('random damage to a random key produces exactly the matching findings, naming the position', () => {
    fc.assert(
      fc.property(
        damageArb,
        fc.subarray<ClientModel>(['claude-code', 'sdk-ts-1', 'sdk-ts-0', 'sdk-py', 'curl', 'other']),
        (d, consumers) => {
          const { value, expected, position, ch } = damaged(d);
          const fs = lintKey(value, ctx({ consumers }));
          expect(ids(fs)).toEqual(expected);
          if (position !== null && ch !== null) {
            const ws = only(fs, 'key.whitespace');
            expect(ws.severity).toBe('error'); // inside a key nothing makes it harmless
            expect(ws.detail).toMatch(new RegExp(`at positions? (\\d+, )*${position}\\b`));
          }
          for (const f of fs) expect(f.detail).toContain(fingerprint(value));
          expect(leakedWindow(JSON.stringify(fs), value)).toBeNull();
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a clean random key is never taken for a placeholder and gets no findings', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const key = fakeKey('api', prng(seed));
        expect(looksLikePlaceholder(key)).toBe(false);
        expect(lintKey(key, ctx())).toEqual([]);
      }),
    );
  });

  it('never throws, and never leaks, on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.constantFrom<LintContext['expects']>('api_key', 'oauth', 'any'),
        (value, expects) => {
          const fs = lintKey(value, ctx({ expects, consumers: ['claude-code', 'sdk-ts-1'] }));
          expect(new Set(fs.map((f) => f.id)).size).toBe(fs.length);
          expect(leakedWindow(JSON.stringify(fs), value)).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });
});
