// Bad files on a broken machine: unreadable, binary, huge, malformed, odd dotenv quoting, symlink
// loops, FIFOs, a $HOME that does not exist, a working directory deleted under the process.
// `check --no-network --report -` prints the Markdown report on stdout (the human text goes to
// stderr): each problem must be said in the report's Notes, the run must finish with the contract's
// code, and nothing of any secret in the files may appear anywhere.
import { chmodSync, closeSync, ftruncateSync, mkdirSync, openSync, symlinkSync, writeSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeKey } from '../../source/emulator/keys.js';
import { box, cli, EXIT, expectSane, ids, requireBuild, type Box, type Run } from './helpers.js';

beforeAll(() => requireBuild());

/** The bullet lines of the report's "Notes" section. */
function notes(r: Run): string[] {
  const section = r.stdout.split(/^## Notes\s*$/m)[1] ?? '';
  return section
    .split(/^## /m)[0]!
    .split('\n')
    .filter((l) => l.startsWith('- '))
    .map((l) => l.slice(2));
}

/** Runs the offline check with `envKey` in ANTHROPIC_API_KEY (when given) and the report on stdout. */
function offline(
  b: Box,
  envKey: string | null,
  o: { uid?: number; home?: string; extra?: string[] } = {},
): Promise<Run> {
  return cli(['check', '--no-network', '--report', '-', ...(o.extra ?? [])], b, {
    env: envKey ? { ANTHROPIC_API_KEY: envKey } : {},
    ...(o.uid !== undefined ? { uid: o.uid } : {}),
    ...(o.home ? { home: o.home } : {}),
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const NOBODY = 65534;

describe('files that cannot be read as text', () => {
  it('an unreadable .env (mode 000): noted as "permission denied", the run goes on, exit 1 (key.missing)', async () => {
    const b = box();
    const secret = fakeKey('api');
    b.write('.env', `ANTHROPIC_API_KEY=${secret}\n`, 0o000);
    // root reads everything: run the CLI as nobody, in a tree nobody may enter.
    if (isRoot) {
      execFileSync('chmod', ['-R', 'a+rX', b.root]);
      chmodSync(b.path('.env'), 0o000);
    }
    const r = await offline(b, null, isRoot ? { uid: NOBODY } : {});
    expectSane(r, { codes: [EXIT.problem], secrets: [secret] });
    expect(notes(r)).toContain('.env: not read (permission denied)');
    expect(r.stderr).toMatch(/key\.missing/);
  });

  it('a binary .env.local holding a key among NUL bytes: noted as "binary file", the key is neither used nor shown', async () => {
    const b = box();
    const envKey = fakeKey('api');
    const hidden = fakeKey('api');
    b.write(
      '.env.local',
      Buffer.concat([
        Buffer.from([0, 1, 2, 0xff, 0xfe, 0]),
        Buffer.from(`\nANTHROPIC_API_KEY=${hidden}\n`),
        Buffer.alloc(4096, 0),
      ]),
    );
    const r = await offline(b, envKey);
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [envKey, hidden] });
    expect(notes(r)).toContain('.env.local: not read (binary file)');
  });

  it('a 50 MB .env and a 50 MB ~/.claude.json: each noted as too large, not read into memory, exit 3', async () => {
    const b = box();
    const envKey = fakeKey('api');
    const inFile = fakeKey('api');
    for (const [file, head] of [
      ['.env', `ANTHROPIC_API_KEY=${inFile}\n`],
      ['~/.claude.json', `{"customApiKeyResponses":{"approved":["${inFile.slice(-20)}"]}`],
    ] as const) {
      const fd = openSync(b.write(file, ''), 'w');
      writeSync(fd, head);
      ftruncateSync(fd, 50 * 1024 * 1024); // sparse: 50 MB on paper, nothing on disk
      closeSync(fd);
    }
    const r = await offline(b, envKey);
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [envKey, inFile] });
    expect(notes(r)).toEqual(
      expect.arrayContaining(['.env: not read (larger than 1 MB)', '~/.claude.json: not read (larger than 20 MB)']),
    );
  });

  it('a UTF-16 .env (a Windows editor): noted as UTF-16, not misread', async () => {
    const b = box();
    const envKey = fakeKey('api');
    const inFile = fakeKey('api');
    b.write(
      '.env',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`ANTHROPIC_API_KEY=${inFile}\n`, 'utf16le')]),
    );
    const r = await offline(b, envKey);
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [envKey, inFile] });
    expect(notes(r)).toContain('.env: not read (UTF-16 encoded; expected UTF-8)');
  });

  it('a FIFO named .env.development (a naive reader blocks forever) and a directory named .env.production', async () => {
    const b = box();
    const envKey = fakeKey('api');
    execFileSync('mkfifo', [b.path('.env.development')]);
    mkdirSync(b.path('.env.production'));
    const r = await offline(b, envKey);
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [envKey] });
    expect(notes(r)).toEqual(
      expect.arrayContaining([
        '.env.development: not read (not a regular file)',
        '.env.production: not read (a directory, not a file)',
      ]),
    );
  });
  // A character device never ends: reading it whole takes all memory and never finishes. The short
  // bound keeps a failing run from eating the CI machine's memory (it grows ~0.3 GB/s).
  it.each([['/dev/zero']])(
    '--error-file %s: refused at 1 MB in one line, exit 2, memory and time bounded',
    async (device) => {
      const b = box();
      const r = await cli(['check', '--no-network', '--error-file', device], b, { killAfterMs: 3_000 });
      expectSane(r, { codes: [EXIT.usage] });
      // At most 6 characters of the refused value (cli-contract.md "Fingerprints and secrets").
      expect(r.stderr.trim()).toBe(`claude-401-wizard: --error-file ${device.slice(0, 6)}…: file is over 1 MB`);
    },
    30_000,
  );
});

describe('malformed content', () => {
  it('malformed ~/.claude/settings.json holding a key (cut off mid-object): noted with its line, the key is not shown', async () => {
    const b = box();
    const envKey = fakeKey('api');
    const inFile = fakeKey('api');
    // V8's JSON.parse error quotes the text around the fault: that text is the key.
    b.write('~/.claude/settings.json', `{\n  "env": {\n    "ANTHROPIC_API_KEY": "${inFile}" "x`);
    b.write('.claude/settings.local.json', `{"env": {"ANTHROPIC_AUTH_TOKEN": ${inFile}}}`);
    const r = await offline(b, envKey);
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [envKey, inFile] });
    expect(notes(r)).toEqual(
      expect.arrayContaining([
        '~/.claude/settings.json: not read (malformed JSON at line 3)',
        expect.stringMatching(/^\.claude\/settings\.local\.json: not read \(malformed JSON/),
      ]),
    );
  });

  it('settings.json that is valid JSON but not an object (an array, a string, null): noted, no crash', async () => {
    for (const content of [
      '[1,2,3]',
      '"sk"',
      'null',
      '{"env": [1, 2]}',
      '{"env": {"ANTHROPIC_API_KEY": 42}}',
      '{"apiKeyHelper": {"cmd": true}}',
    ]) {
      const b = box();
      const envKey = fakeKey('api');
      b.write('~/.claude/settings.json', content);
      const r = await offline(b, envKey);
      expectSane(r, { codes: [EXIT.inconclusive, EXIT.problem], secrets: [envKey] });
    }
  }, 60_000);

  // Odd quoting as people write it. Each row: the .env line (KEY stands for a fresh fake key), the
  // findings the damaged value must get, and the exit code.
  const QUOTING: [string, string, string[], number][] = [
    ['mismatched quotes', `ANTHROPIC_API_KEY='{key}"`, ['key.whitespace'], EXIT.problem],
    ['unterminated double quote', `ANTHROPIC_API_KEY="{key}`, ['key.whitespace'], EXIT.problem],
    ['export, spaces around =, comment', `export ANTHROPIC_API_KEY = "{key}" # the prod key`, [], EXIT.inconclusive],
    ['backticks', 'ANTHROPIC_API_KEY=`{key}`', [], EXIT.inconclusive],
    ['smart quotes', `ANTHROPIC_API_KEY=\u201c{key}\u201d`, ['key.whitespace'], EXIT.problem],
    ['text after the closing quote', `ANTHROPIC_API_KEY='{key}'extra`, ['key.malformed'], EXIT.problem],
    ['tripled quotes', `ANTHROPIC_API_KEY="""{key}"""`, ['key.whitespace'], EXIT.problem],
    ['a "# comment" inside the quotes', `ANTHROPIC_API_KEY="{key} # not a comment"`, ['key.malformed'], EXIT.problem],
    ['a trailing backslash', `ANTHROPIC_API_KEY={key}\\`, ['key.malformed'], EXIT.problem],
    ['an escaped \\n inside double quotes', `ANTHROPIC_API_KEY="{key}\\n"`, ['key.whitespace'], EXIT.problem],
    ['CRLF line ends', `ANTHROPIC_API_KEY={key}\r\nOTHER=1\r`, [], EXIT.inconclusive],
  ];
  it.each(QUOTING)(
    'dotenv with %s: read from file:.env:1, damage named, nothing of the key shown',
    async (_name, line, expected, code) => {
      const b = box();
      const key = fakeKey('api');
      b.write('.env', `${line.replace('{key}', () => key)}\nOTHER=1\n`);
      const r = await cli(['check', '--json', '--no-network', '--client', 'sdk'], b);
      expectSane(r, { codes: [code], secrets: [key] });
      expect(r.json.credential?.source).toBe('file:.env:1');
      expect(ids(r)).toEqual(expect.arrayContaining(expected));
    },
  );
});

describe('links and missing places', () => {
  it('symlink loops (.env → itself, .env.local ↔ a, ~/.bashrc, ~/.claude/settings.json): each noted as a loop', async () => {
    const b = box();
    const envKey = fakeKey('api');
    symlinkSync('.env', b.path('.env'));
    symlinkSync('a', b.path('.env.local'));
    symlinkSync('.env.local', b.path('a'));
    symlinkSync(b.path('~/.bashrc'), b.path('~/.bashrc'));
    mkdirSync(b.path('~/.claude'));
    symlinkSync(b.path('~/.claude/settings.json'), b.path('~/.claude/settings.json'));
    const r = await offline(b, envKey);
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [envKey] });
    expect(notes(r)).toEqual(
      expect.arrayContaining([
        '.env: not read (symlink loop)',
        '.env.local: not read (symlink loop)',
        '~/.bashrc: not read (symlink loop)',
        '~/.claude/settings.json: not read (symlink loop)',
      ]),
    );
  });

  it('a directory symlink cycle (app/loop → .) as --project app/loop/loop/loop: discovery ends, exit 3', async () => {
    const b = box();
    const envKey = fakeKey('api');
    symlinkSync('.', b.path('loop'));
    symlinkSync(b.path('~/self'), b.path('~/self'));
    const r = await offline(b, envKey, { extra: ['--project', b.path('loop/loop/loop')] });
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [envKey] });
  });

  it('$HOME that does not exist: the run goes on from the environment, exit 3, and the report says ~ is missing', async () => {
    const b = box();
    const envKey = fakeKey('api');
    const missing = path.join(b.root, 'no', 'such', 'home');
    const r = await offline(b, envKey, { home: missing });
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [envKey] });
    expect(notes(r).join('\n')).toMatch(/(home|~).*(does not exist|missing|not found)/i);
  });

  it('a working directory deleted before the start: no crash, exit 3, and the report says so', async () => {
    const b = box();
    const envKey = fakeKey('api');
    const gone = b.path('gone');
    mkdirSync(gone);
    const r = await cli(['check', '--no-network', '--report', '-'], b, {
      env: { ANTHROPIC_API_KEY: envKey },
      // The shell enters the directory, removes it, then becomes node: process.cwd() fails (ENOENT).
      launcher: (argv) => ({
        file: '/bin/sh',
        args: ['-c', 'cd "$1" && rmdir "$1" && shift && exec "$@"', 'sh', gone, process.execPath, ...argv],
      }),
    });
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [envKey] });
    expect(notes(r).join('\n')).toMatch(/working directory.*(does not exist|deleted|was removed)/);
  });

  // A bad --project is a bad flag value: one line, exit 2, at once (well before any 5 s git time-out).
  it.each([
    ['a directory that does not exist', 'does/not/exist', /--project .*: no such directory$/],
    ['a regular file', '.env', /--project .*: not a directory$/],
  ])('--project naming %s: a one-line usage error, exit 2, no wait at exit', async (_what, project, said) => {
    const b = box();
    const envKey = fakeKey('api');
    b.write('.env', 'OTHER=1\n');
    const r = await cli(['check', '--no-network', '--report', '-', '--project', b.path(project)], b, {
      env: { ANTHROPIC_API_KEY: envKey },
      killAfterMs: 4_500,
    });
    expectSane(r, { codes: [EXIT.usage], secrets: [envKey] });
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(said);
  });

  it('a key in ANTHROPIC_API_KEY and a working directory git cannot enter: no 5 s stall at exit', async () => {
    const b = box();
    const envKey = fakeKey('api');
    const gone = b.path('gone2');
    mkdirSync(gone);
    const r = await cli(['check', '--no-network', '--json'], b, {
      env: { ANTHROPIC_API_KEY: envKey },
      killAfterMs: 4_500,
      launcher: (argv) => ({
        file: '/bin/sh',
        args: ['-c', 'cd "$1" && rmdir "$1" && shift && exec "$@"', 'sh', gone, process.execPath, ...argv],
      }),
    });
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [envKey] });
  });
});
