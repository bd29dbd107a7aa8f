// Issue 12, end to end: which Anthropic SDK the project holds decides how a key travels.
// @anthropic-ai/sdk ≥ 1.0 sends every key as `Authorization: Bearer` with anthropic-version
// 2026-10-21; 0.x and Python send `x-api-key` with 2023-06-01 (fact sheet §5). The BUILT
// `check --json` must report the client, probe the way it sends, and not call Bearer a bug there.
import { describe, expect, it } from 'vitest';
import { emulatorKey, type Emulator } from '../../source/emulator/index.js';
import { requireBuild } from '../helpers/cli.js';
import {
  box,
  check,
  describeRun,
  emulator,
  EXIT,
  expectNoInference,
  expectNoLeak,
  FIXTURES,
  ids,
  type Box,
  type Run,
} from './check-harness.js';

requireBuild();

type Form = { header: 'authorization' | 'x-api-key'; version: '2026-10-21' | '2023-06-01' };
const BEARER: Form = { header: 'authorization', version: '2026-10-21' };
const X_API_KEY: Form = { header: 'x-api-key', version: '2023-06-01' };

/** The credential forms the emulator saw on the API (admin calls aside): "header version value". */
function formsSeen(emu: Emulator): Set<string> {
  const out = new Set<string>();
  for (const q of emu.requests) {
    if (q.headers['authorization'])
      out.add(`authorization ${q.headers['anthropic-version']} ${q.headers['authorization'].replace(/^Bearer /, '')}`);
    if (q.headers['x-api-key']) out.add(`x-api-key ${q.headers['anthropic-version']} ${q.headers['x-api-key']}`);
  }
  return out;
}
const form = (f: Form, value: string) => `${f.header} ${f.version} ${value}`;

interface ClientCase {
  name: string;
  /** Writes the fixture; returns extra environment (a virtualenv). */
  fixture: (b: Box) => Record<string, string>;
  clients: { name: string; version: string; source: string; sends: string; via: string | null }[];
  /** How `--client sdk` sends ANTHROPIC_API_KEY: each form is probed once. */
  forms: Form[];
  /** The client models named in sources[].usedBy for the key. */
  usedBy: string[];
}

const CASES: ClientCase[] = [
  {
    name: 'SDK 1.x installed (node_modules)',
    fixture: FIXTURES.ts1,
    clients: [
      {
        name: '@anthropic-ai/sdk',
        version: '1.12.0',
        source: 'file:node_modules/@anthropic-ai/sdk/package.json',
        sends: 'authorization',
        via: null,
      },
    ],
    forms: [BEARER],
    usedBy: ['sdk-ts-1'],
  },
  {
    name: 'SDK 0.x only in package-lock.json',
    fixture: FIXTURES.ts0Lock,
    clients: [
      {
        name: '@anthropic-ai/sdk',
        version: '0.137.0',
        source: 'file:package-lock.json',
        sends: 'x-api-key',
        via: null,
      },
    ],
    forms: [X_API_KEY],
    usedBy: ['sdk-ts-0'],
  },
  {
    name: 'Python venv (VIRTUAL_ENV with anthropic-1.13.0.dist-info)',
    fixture: FIXTURES.pyVenv,
    clients: [
      {
        name: 'anthropic',
        version: '1.13.0',
        source: 'file:.venv/lib/python3.12/site-packages/anthropic-1.13.0.dist-info',
        sends: 'x-api-key',
        via: null,
      },
    ],
    forms: [X_API_KEY],
    usedBy: ['sdk-py'],
  },
  {
    name: 'no SDK in the project: both kinds assumed',
    fixture: () => ({}),
    clients: [],
    forms: [BEARER, X_API_KEY],
    usedBy: ['sdk-ts-1', 'sdk-py'],
  },
  {
    name: 'malformed package-lock.json: no client, no crash',
    fixture: FIXTURES.malformedLock,
    clients: [],
    forms: [BEARER, X_API_KEY],
    usedBy: ['sdk-ts-1', 'sdk-py'],
  },
];

async function run(
  fixture: (b: Box) => Record<string, string>,
  env: (key: string) => Record<string, string>,
  client = 'sdk',
  keys = 1,
): Promise<{ r: Run; emu: Emulator; values: string[] }> {
  const b = box();
  const extra = fixture(b);
  const ks = Array.from({ length: keys }, () => emulatorKey());
  const emu = await emulator({ keys: ks });
  const values = ks.map((k) => k.value);
  const r = await check(b, ['--api-url', emu.url, '--client', client], {
    ...extra,
    ...env(values[0]!),
    ...(keys > 1 ? { ANTHROPIC_AUTH_TOKEN: values[1]! } : {}),
  });
  return { r, emu, values };
}

describe.concurrent('check --json --client sdk: the project decides the header (issue 12)', () => {
  it.each(CASES)('$name', async (c) => {
    const { r, emu, values } = await run(c.fixture, (k) => ({ ANTHROPIC_API_KEY: k }));
    const key = values[0]!;
    const context = describeRun(r);
    expect(r.json.clients).toEqual(c.clients);
    expect(r.json.credential?.source).toBe('env:ANTHROPIC_API_KEY');
    expect(r.json.sources.find((s) => s.source === 'env:ANTHROPIC_API_KEY')?.usedBy.sort()).toEqual(
      [...c.usedBy].sort(),
    );
    // Each client's form went out, and nothing else carried the key.
    expect(formsSeen(emu)).toEqual(new Set(c.forms.map((f) => form(f, key))));
    expect(r.json.verdict, context).toBe('ok');
    expect(r.code, context).toBe(EXIT.ok);
    expect(
      r.json.findings.filter((f) => f.severity === 'error'),
      context,
    ).toEqual([]);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // never a stack trace
    expectNoInference(emu);
    expectNoLeak(r, key);
  });

  it('SDK 1.x with an API key in ANTHROPIC_API_KEY and another in ANTHROPIC_AUTH_TOKEN: the SDK uses ANTHROPIC_API_KEY as Bearer — ok, no header.bearer error', async () => {
    const { r, emu, values } = await run(FIXTURES.ts1, (k) => ({ ANTHROPIC_API_KEY: k }), 'sdk', 2);
    const [apiKey, authToken] = values as [string, string];
    const context = describeRun(r);
    expect(r.json.verdict, context).toBe('ok');
    expect(r.code, context).toBe(EXIT.ok);
    expect(
      r.json.findings.filter((f) => f.id === 'header.bearer' && f.severity === 'error'),
      context,
    ).toEqual([]);
    expect(
      r.json.findings.filter((f) => f.severity === 'error'),
      context,
    ).toEqual([]);
    expect(r.json.credential?.source).toBe('env:ANTHROPIC_API_KEY');
    expect(r.json.sources.find((s) => s.source === 'env:ANTHROPIC_AUTH_TOKEN')?.usedBy).toEqual([]);
    expect(formsSeen(emu)).toEqual(new Set([form(BEARER, apiKey)]));
    expectNoInference(emu);
    expectNoLeak(r, apiKey, authToken);
  });

  it.each([
    ['SDK 0.x (package-lock)', FIXTURES.ts0Lock],
    ['Python venv', FIXTURES.pyVenv],
  ])(
    '%s with two different keys in ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN: both headers go out → header.both, exit 1',
    async (_name, fixture) => {
      const { r, emu, values } = await run(fixture, (k) => ({ ANTHROPIC_API_KEY: k }), 'sdk', 2);
      const [apiKey, authToken] = values as [string, string];
      const context = describeRun(r);
      expect(ids(r), context).toContain('header.both');
      expect(r.json.findings.find((f) => f.id === 'header.both')?.severity, context).toBe('error');
      expect(r.code, context).toBe(EXIT.problem);
      // The probe sent what the client sends: both headers, each with its own key.
      const both = emu.requests.find(
        (q) => q.headers['x-api-key'] === apiKey && q.headers['authorization'] === `Bearer ${authToken}`,
      );
      expect(both?.headers['anthropic-version'], context).toBe('2023-06-01');
      expectNoInference(emu);
      expectNoLeak(r, apiKey, authToken);
    },
  );
});

describe.concurrent('--project DIR: discovery from the project, not the working directory', () => {
  it('run from HOME with --project ~/work/app: the SDK 1.x and the project .env are found', async () => {
    const b = box();
    FIXTURES.ts1(b);
    const k = emulatorKey();
    const emu = await emulator({ keys: [k] });
    b.write('.env', `ANTHROPIC_API_KEY=${k.value}\n`);
    const r = await check({ ...b, cwd: b.home }, ['--project', b.cwd, '--api-url', emu.url, '--client', 'sdk'], {});
    const context = describeRun(r);
    expect(r.json.clients.map((c) => `${c.name} ${c.version} ${c.sends}`)).toEqual([
      '@anthropic-ai/sdk 1.12.0 authorization',
    ]);
    expect(r.json.sources.map((s) => [s.source, s.usedBy])).toEqual([['file:.env:1', ['sdk-ts-1']]]);
    expect(formsSeen(emu)).toEqual(new Set([form(BEARER, k.value)]));
    expect(r.code, context).toBe(EXIT.ok);
    expectNoInference(emu);
    expectNoLeak(r, k.value);
  });
});

describe.concurrent('check --json --client auto with an SDK 1.x project: each client probed in its own form', () => {
  it('Claude Code sends x-api-key/2023-06-01, the SDK Bearer/2026-10-21; both accepted', async () => {
    const { r, emu, values } = await run(FIXTURES.ts1, (k) => ({ ANTHROPIC_API_KEY: k }), 'auto');
    const key = values[0]!;
    const context = describeRun(r);
    expect(formsSeen(emu)).toEqual(new Set([form(X_API_KEY, key), form(BEARER, key)]));
    expect(r.json.sources.find((s) => s.source === 'env:ANTHROPIC_API_KEY')?.usedBy.sort()).toEqual([
      'claude-code',
      'sdk-ts-1',
    ]);
    expect(r.json.verdict, context).toBe('ok');
    expect(r.code, context).toBe(EXIT.ok);
    expectNoInference(emu);
    expectNoLeak(r, key);
  });
});
