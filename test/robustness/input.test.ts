// Bad input: fuzzed pasted errors (random Unicode, terminal escape sequences, keys, 1 MB pastes),
// server messages that carry escape sequences, and absurd flag values. Output must hold no control
// sequence that came from outside, no window of a secret, and the exit code must be the contract's.
import { readFileSync, statSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeKey } from '../../source/emulator/keys.js';
import { answeringServer, box, cli, CONTROL_BYTES, EXIT, expectSane, findingOf, ids, requireBuild } from './helpers.js';

beforeAll(() => requireBuild());

/** Every string value inside a parsed JSON document. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)]);
  return [];
}

function expectNoControl(label: string, text: string): void {
  const at = text.search(CONTROL_BYTES);
  expect(
    at,
    `${label} holds a control byte at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 40))}`,
  ).toBe(-1);
}

/** Escape sequences a hostile paste or server can carry (CSI, OSC title/hyperlink, DCS, 8-bit CSI, RIS, alt screen, bidi). */
const ESCAPES = [
  '\u001b[31m',
  '\u001b[2J\u001b[H',
  '\u001b]0;pwned\u0007',
  '\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\',
  '\u001bP+q544e\u001b\\',
  '\u009b6n',
  '\u009d0;x\u0007',
  '\u001bc',
  '\u001b[?1049h',
  '\u001b[?25l',
  '\r',
  '\u0000',
  '\u0008',
  '\u202e',
  '\u2066',
];

describe('server messages carrying terminal escape sequences', () => {
  const hostile = '\u001b]0;pwned\u0007\u001b[31mred\u001b[0m \u009b2J\u202eevil';

  async function hostileApi() {
    return answeringServer(() => ({
      status: 401,
      headers: { 'content-type': 'application/json', 'request-id': 'req_x\u009b31m', 'x-should-retry': 'false' },
      body: JSON.stringify({
        type: 'error',
        error: { type: 'authentication_error', message: hostile },
        request_id: 'req_x\u001b[2J',
      }),
    }));
  }

  it('check --json: the 401 is classified (key.invalid, exit 1) and no ESC, BEL or C1 byte reaches stdout, stderr or any JSON string', async () => {
    const b = box();
    const key = fakeKey('api');
    const api = await hostileApi();
    const r = await cli(['check', '--json', '--api-url', api.url, '--client', 'curl', '--timeout', '2000'], b, {
      env: { ANTHROPIC_API_KEY: key },
    });
    expectSane(r, { codes: [EXIT.problem], secrets: [key] });
    expect(api.seen.length).toBeGreaterThan(0);
    expect(ids(r)).toContain('key.invalid');
    expectNoControl('stdout', r.stdout);
    expectNoControl('stderr', r.stderr);
    for (const s of strings(r.json)) expectNoControl('a JSON string', s);
    // The words survive; only the control sequences are gone.
    expect(JSON.stringify(r.json.probes)).toContain('red');
  });

  it('check (text) with --report FILE: neither the screen text nor the saved report holds a control byte', async () => {
    const b = box();
    const key = fakeKey('api');
    const api = await hostileApi();
    const report = b.path('report.md');
    const r = await cli(
      ['check', '--no-color', '--report', report, '--api-url', api.url, '--client', 'curl', '--timeout', '2000'],
      b,
      { env: { ANTHROPIC_API_KEY: key } },
    );
    const md = readFileSync(report, 'utf8');
    expectSane(r, { codes: [EXIT.problem], secrets: [key], extra: [md] });
    expectNoControl('stdout', r.stdout);
    expectNoControl('stderr', r.stderr);
    expectNoControl('report', md);
    expect(statSync(report).mode & 0o777).toBe(0o600);
  });

  it('a 200 whose model list carries escapes in ids and names: nothing of them reaches the output as control bytes', async () => {
    const b = box();
    const key = fakeKey('api');
    const api = await answeringServer((req) => ({
      status: 200,
      headers: {
        'content-type': 'application/json',
        'request-id': 'req_ok',
        'anthropic-organization-id': 'org\u009b1m',
      },
      body: req.url.startsWith('/v1/models')
        ? JSON.stringify({
            data: [
              {
                id: `claude-\u001b]0;x\u0007evil`,
                display_name: hostile,
                type: 'model',
                created_at: '2025-01-01T00:00:00Z',
              },
            ],
            has_more: false,
            first_id: null,
            last_id: null,
          })
        : JSON.stringify({ input_tokens: 3 }),
    }));
    const r = await cli(['check', '--json', '--api-url', api.url, '--client', 'curl', '--timeout', '2000'], b, {
      env: { ANTHROPIC_API_KEY: key },
    });
    expectSane(r, { codes: [EXIT.ok, EXIT.problem, EXIT.inconclusive], secrets: [key] });
    for (const s of strings(r.json)) expectNoControl('a JSON string', s);
    expectNoControl('stderr', r.stderr);
  });
});

describe('pasted errors (fast-check)', () => {
  const piece = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.constantFrom(...ESCAPES),
    fc
      .tuple(fc.integer({ min: 0, max: 999 }), fc.constantFrom('m', 'J', 'H', 'K', 'h', 'l'))
      .map(([n, c]) => `\u001b[${n}${c}`),
    fc.constantFrom(
      'Error code: 401 - ',
      '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CAbcdEfghIjklMnopQrst"}',
      'AuthenticationError: 401 ',
      'x-api-key: ',
      'Authorization: Bearer ',
      '\n',
    ),
  );
  /** A paste: pieces, with the discovered key, a second key, or neither somewhere in it. */
  const paste = fc.record({
    pieces: fc.array(piece, { maxLength: 16 }),
    keyAt: fc.option(fc.nat(), { nil: null }),
    which: fc.constantFrom<'env' | 'other'>('env', 'other'),
    json: fc.boolean(),
  });

  it('any paste: exit 1 or 3 (never 2, never a crash), no control byte out, no window of either key', async () => {
    const b = box();
    await fc.assert(
      fc.asyncProperty(paste, async ({ pieces, keyAt, which, json }) => {
        const envKey = fakeKey('api');
        const other = fakeKey('api');
        const parts = [...pieces];
        if (keyAt !== null) parts.splice(keyAt % (parts.length + 1), 0, which === 'env' ? envKey : other);
        const r = await cli(
          ['check', '--no-network', '--no-color', ...(json ? ['--json'] : []), '--error-file', '-'],
          b,
          { env: { ANTHROPIC_API_KEY: envKey }, input: parts.join('') },
        );
        expectSane(r, { codes: [EXIT.problem, EXIT.inconclusive], secrets: [envKey, other] });
        if (json) for (const s of strings(r.json)) expectNoControl('a JSON string', s);
        else expectNoControl('stdout', r.stdout);
        expectNoControl('stderr', r.stderr);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('a 1 MB paste (random code points, escapes, a real 401 and key fragments) is read, classified and cleaned', async () => {
    const b = box();
    const envKey = fakeKey('api');
    const random = fc.sample(fc.string({ unit: 'binary', minLength: 400, maxLength: 400 }), { numRuns: 600, seed: 42 });
    let text = random.map((s, i) => s + ESCAPES[i % ESCAPES.length]).join('');
    text += `\nanthropic.AuthenticationError: Error code: 401 - {'type': 'error', 'error': {'type': 'authentication_error', 'message': 'invalid x-api-key'}, 'request_id': 'req_011CAbcdEfghIjklMnopQrst'} x-api-key: ${envKey}\n`;
    const filler = `\u001b[1m${envKey.slice(13, 60)} `;
    text += filler.repeat(Math.floor((990_000 - Buffer.byteLength(text)) / Buffer.byteLength(filler)));
    const r = await cli(['check', '--json', '--no-network', '--error-file', '-'], b, {
      env: { ANTHROPIC_API_KEY: envKey },
      input: text,
    });
    expectSane(r, { codes: [EXIT.problem], secrets: [envKey] });
    expect(r.json.pasted).toMatchObject({
      status: 401,
      errorType: 'authentication_error',
      requestId: 'req_011CAbcdEfghIjklMnopQrst',
    });
    expect(findingOf(r, 'key.invalid')).toBeTruthy();
    for (const s of strings(r.json)) expectNoControl('a JSON string', s);
  }, 30_000);

  it('a paste over 1 MB is refused in one line (exit 2), without echoing any of it', async () => {
    const b = box();
    const envKey = fakeKey('api');
    const r = await cli(['check', '--json', '--no-network', '--error-file', '-'], b, {
      env: { ANTHROPIC_API_KEY: envKey },
      input: `x-api-key: ${envKey}\n`.repeat(9_000) + 'x'.repeat(100_000),
    });
    expectSane(r, { codes: [EXIT.usage], secrets: [envKey] });
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/over 1 MB/);
  });

  it('--error with 100 kB of escape sequences and a key (an argv, not stdin): cleaned, exit 1 or 3', async () => {
    const b = box();
    const envKey = fakeKey('api');
    // argv cannot carry NUL bytes.
    const text =
      (ESCAPES.filter((e) => e !== '\u0000').join('') + 'invalid x-api-key ').repeat(1_500).slice(0, 100_000) + envKey;
    const r = await cli(['check', '--no-network', '--error', text], b, { env: { ANTHROPIC_API_KEY: envKey } });
    expectSane(r, { codes: [EXIT.problem, EXIT.inconclusive], secrets: [envKey] });
    expectNoControl('stdout', r.stdout);
  });
});

describe('absurd flag values', () => {
  // Each: argv (KEY stands for a fresh fake key, which must not be echoed) and what the one line names.
  const CASES: [string, string[], RegExp][] = [
    ['--timeout 0', ['--timeout', '0'], /--timeout/],
    ['--timeout -1', ['--timeout', '-1'], /--timeout/],
    ['--timeout 1e9', ['--timeout', '1e9'], /--timeout/],
    ['--timeout of 30 digits', ['--timeout', '9'.repeat(30)], /--timeout/],
    ['--timeout NaN', ['--timeout', 'NaN'], /--timeout/],
    ['--timeout Infinity', ['--timeout', 'Infinity'], /--timeout/],
    ['--timeout=0x10', ['--timeout=0x10'], /--timeout/],
    ['--timeout without a value', ['--timeout'], /--timeout needs a value/],
    ['--wait 3601', ['--wait', '3601'], /--wait/],
    ['--key-age -5', ['--key-age', '-5'], /--key-age/],
    ['--api-url empty', ['--api-url', ''], /--api-url/],
    ['--api-url ftp://', ['--api-url', 'ftp://example.com'], /--api-url/],
    ['--api-url javascript:', ['--api-url', 'javascript:alert(1)'], /--api-url/],
    ['--api-url with user:KEY@', ['--api-url', 'https://user:{key}@api.example.com'], /--api-url/],
    ['--api-url with ?key=KEY', ['--api-url', 'https://api.example.com/?key={key}'], /--api-url/],
    ['--api-url unclosed IPv6', ['--api-url', 'http://[::1'], /--api-url/],
    ['--client empty', ['--client', ''], /--client/],
    ['--provider of 100 kB', ['--provider', 'x'.repeat(100_000)], /--provider/],
    ['--model path traversal', ['--model', '../../etc/passwd'], /--model/],
    ['--model of 10 kB', ['--model', 'a'.repeat(10_000)], /--model/],
    ['--key-env given the key itself', ['--key-env', '{key}'], /--key-env/],
    ['--admin-key-env given a key', ['--admin-key-env', '{key}'], /--admin-key-env/],
    ['--report empty', ['--report', ''], /--report/],
    ['--project empty', ['--project', ''], /--project/],
    ['--error-file empty', ['--error-file', ''], /--error-file/],
    ['a key as an unknown option', ['--{key}'], /unknown option/],
    ['a key as a stray argument', ['{key}'], /unexpected argument/],
    ['an escape sequence as a stray argument', ['\u001b]0;pwned\u0007'], /unexpected argument/],
    ['a key as the command', ['{key}'], /unknown command/],
    ['--error and --error-file together', ['--error', 'x', '--error-file', 'y'], /not both/],
    ['--timeout given twice', ['--timeout', '1000', '--timeout', '2000'], /twice/],
  ];
  it.each(CASES)(
    '%s → one line on stderr naming it, exit 2, no stack, nothing of the key',
    async (_name, argv, names) => {
      const b = box();
      const key = fakeKey('api');
      const filled = argv.map((a) => a.replace('{key}', () => key));
      const args = _name.includes('the command') ? filled : ['check', ...filled];
      const r = await cli(args, b, { env: { ANTHROPIC_API_KEY: key } });
      expectSane(r, { codes: [EXIT.usage], secrets: [key] });
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^claude-401-wizard: /);
      expect(lines[0]).toMatch(names);
      expect(lines[0]!.length).toBeLessThan(300);
      expectNoControl('stderr', r.stderr);
    },
  );
});
