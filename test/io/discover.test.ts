import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../source/core/types.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { editDistance, nameKind } from '../../source/core/names.js';
import { discover, dotenvLines, shellAssignments, type DiscoverInput } from '../../source/io/discover.js';
import { leaksWindow, sandbox } from './sandbox.js';

const PREFIX = 'sk-ant-';

function run(over: Partial<DiscoverInput> & Pick<DiscoverInput, 'cwd' | 'home'>) {
  return discover({ env: {}, platform: 'linux', git: false, managedSettingsPath: null, ...over });
}

const brief = (c: Candidate) => ({ source: c.source, origin: c.origin, name: c.name, value: c.value, depth: c.depth });

describe('the issue scenario', () => {
  it('finds the parent .env key, the ~/.bashrc export and the empty env var, with sources and depth', async () => {
    const s = sandbox();
    const damaged = fakeKey('api').slice(0, 60); // a truncated copy
    const exported = fakeKey('api');
    const parentEnv = s.write(
      path.join(s.home, 'code', '.env'),
      `# shared by every project\nANTHROPIC_API_KEY=${damaged}\n`,
    );
    s.write(
      path.join(s.home, '.bashrc'),
      `alias ll='ls -l'\n# export ANTHROPIC_API_KEY=old\nexport ANTHROPIC_API_KEY="${exported}"\n`,
    );

    const d = await run({ env: { ANTHROPIC_API_KEY: '', PATH: '/usr/bin' }, cwd: s.project, home: s.home });

    expect(d.candidates.map(brief)).toEqual([
      { source: 'env:ANTHROPIC_API_KEY', origin: 'env', name: 'ANTHROPIC_API_KEY', value: '', depth: undefined },
      { source: 'file:../.env:2', origin: 'dotenv', name: 'ANTHROPIC_API_KEY', value: damaged, depth: 1 },
      { source: 'file:~/.bashrc:3', origin: 'shell', name: 'ANTHROPIC_API_KEY', value: exported, depth: undefined },
    ]);
    expect(d.candidates[1]).toMatchObject({ file: parentEnv, line: 2 });
    expect(d.dotenvFiles).toEqual([
      { path: parentEnv, source: 'file:../.env', depth: 1, holdsCredential: true, ignoredByGit: null },
    ]);
    expect(d.notes).toEqual([]);
  });
});

describe('environment', () => {
  it('takes real names (also empty), near-miss names, typos, lower case and sk-ant- values; keeps relevant env', async () => {
    const s = sandbox();
    const [a, b, c, e] = [fakeKey('api'), fakeKey('api'), fakeKey('oat'), fakeKey('admin')];
    const env = {
      ANTHROPIC_AUTH_TOKEN: '',
      CLAUDE_CODE_OAUTH_TOKEN: c,
      AWS_BEARER_TOKEN_BEDROCK: 'ABSKabc',
      CLAUDE_API_KEY: a,
      ANTRHOPIC_API_KEY: b,
      anthropic_api_key: a,
      ANTHROPIC_TOKEN: 'x',
      MY_SECRET: '  ' + e,
      UNRELATED: 'hello',
      ANTHROPIC_FOUNDRY_AUTH_TOKEN: 'not ours',
      ANTHROPIC_BASE_URL: 'https://gw.example/v1',
      https_proxy: 'http://proxy:3128',
      CI: 'true',
      SHELL: '/bin/zsh',
      HOME: s.home,
    };
    const d = await run({ env, cwd: s.project, home: s.home });
    expect(d.candidates.map((x) => [x.name, x.origin, x.source])).toEqual([
      ['ANTHROPIC_AUTH_TOKEN', 'env', 'env:ANTHROPIC_AUTH_TOKEN'],
      ['ANTHROPIC_TOKEN', 'env', 'env:ANTHROPIC_TOKEN'],
      ['ANTRHOPIC_API_KEY', 'env', 'env:ANTRHOPIC_API_KEY'],
      ['AWS_BEARER_TOKEN_BEDROCK', 'env', 'env:AWS_BEARER_TOKEN_BEDROCK'],
      ['CLAUDE_API_KEY', 'env', 'env:CLAUDE_API_KEY'],
      ['CLAUDE_CODE_OAUTH_TOKEN', 'env', 'env:CLAUDE_CODE_OAUTH_TOKEN'],
      ['MY_SECRET', 'env', 'env:MY_SECRET'],
      ['anthropic_api_key', 'env', 'env:anthropic_api_key'],
    ]);
    expect(d.candidates.find((x) => x.name === 'MY_SECRET')!.value).toBe('  ' + e); // raw, not trimmed
    expect(d.env).toEqual({
      ANTHROPIC_BASE_URL: 'https://gw.example/v1',
      https_proxy: 'http://proxy:3128',
      CI: 'true',
      SHELL: '/bin/zsh',
    });
  });

  it('classifies names by edit distance', () => {
    expect(editDistance('ANTRHOPIC_API_KEY', 'ANTHROPIC_API_KEY')).toBe(1); // one swap
    expect(editDistance('ANTHROPIC_APIKEY', 'ANTHROPIC_API_KEY')).toBe(1);
    expect(nameKind('ANTHROPIC_API_KEY')).toBe('credential');
    expect(nameKind('ANTHROPC_API_KY')).toBe('near-miss');
    expect(nameKind('Anthropic_Auth_Token')).toBe('near-miss');
    expect(nameKind('claude_key')).toBe('near-miss');
    expect(nameKind('ANTHROPIC_BASE_URL')).toBeNull();
    expect(nameKind('ANTHROPIC_API_KEY_FILE')).toBeNull(); // five edits away
    expect(nameKind('OPENAI_API_KEY')).toBeNull();
  });

  it('--key-env adds the named variable once, under its own name, or notes that it is unset', async () => {
    const s = sandbox();
    const k = fakeKey('api');
    const d = await run({ env: { CI_CLAUDE_SECRET: k }, keyEnv: 'CI_CLAUDE_SECRET', cwd: s.project, home: s.home });
    expect(d.candidates).toEqual([
      { source: 'env:CI_CLAUDE_SECRET', origin: 'key-env', name: 'CI_CLAUDE_SECRET', value: k },
    ]);
    const missing = await run({ env: {}, keyEnv: 'NOPE', cwd: s.project, home: s.home });
    expect(missing.candidates).toEqual([]);
    expect(missing.notes).toEqual(['--key-env NOPE: that variable is not set']);
  });
});

describe('dotenv files', () => {
  it('reads values exactly as dotenv does, with the line that supplies each', async () => {
    const s = sandbox();
    const [k1, k2, k3, k4] = [fakeKey('api'), fakeKey('oat'), fakeKey('api'), fakeKey('admin')];
    const lines = [
      '# a comment that mentions ANTHROPIC_API_KEY=nope',
      `export ANTHROPIC_API_KEY="${k1}\\n"`, // escape inside double quotes → a real newline
      `ANTHROPIC_AUTH_TOKEN='${k2}\\n'`, // single quotes keep backslash-n literally
      `CLAUDE_API_KEY=   ${k3}    # unquoted: trimmed, comment dropped`,
      `CLAUDE_CODE_OAUTH_TOKEN="${k2}  "`, // quoted trailing spaces survive
      'PLAIN=hello',
      `MY_KEY=${k4}`,
      'ANTHROPIC_FOUNDRY_API_KEY=first',
      'ANTHROPIC_FOUNDRY_API_KEY=second',
    ];
    s.write(path.join(s.project, '.env'), lines.join('\r\n') + '\r\n');
    const d = await run({ cwd: s.project, home: s.home });
    expect(d.candidates.map((c) => [c.source, c.name, c.value])).toEqual([
      ['file:.env:2', 'ANTHROPIC_API_KEY', k1 + '\n'],
      ['file:.env:3', 'ANTHROPIC_AUTH_TOKEN', k2 + '\\n'],
      ['file:.env:4', 'CLAUDE_API_KEY', k3],
      ['file:.env:5', 'CLAUDE_CODE_OAUTH_TOKEN', k2 + '  '],
      ['file:.env:7', 'MY_KEY', k4],
      ['file:.env:9', 'ANTHROPIC_FOUNDRY_API_KEY', 'second'], // dotenv: the last assignment wins
    ]);
    expect(d.candidates.every((c) => c.origin === 'dotenv' && c.depth === 0)).toBe(true);
  });

  it('walks from the working directory up to home, not above it', async () => {
    const s = sandbox();
    const [a, b, c] = [fakeKey('api'), fakeKey('api'), fakeKey('api')];
    s.write(path.join(s.project, '.env.local'), `ANTHROPIC_API_KEY=${a}\n`);
    s.write(path.join(s.project, '.env'), 'DATABASE_URL=postgres://x\n');
    s.write(path.join(s.home, 'code', '.env.production'), `\n\nANTHROPIC_API_KEY=${b}\n`);
    s.write(path.join(s.home, '.env.development'), `ANTHROPIC_AUTH_TOKEN=${c}\n`);
    s.write(path.join(s.root, 'home', '.env'), `ANTHROPIC_API_KEY=${fakeKey('api')}\n`); // above home
    const d = await run({ cwd: s.project, home: s.home });
    expect(d.candidates.map((x) => [x.source, x.depth, x.value])).toEqual([
      ['file:.env.local:1', 0, a],
      ['file:../.env.production:3', 1, b],
      ['file:~/.env.development:1', 2, c],
    ]);
    expect(d.dotenvFiles.map((f) => [f.source, f.depth, f.holdsCredential])).toEqual([
      ['file:.env', 0, false],
      ['file:.env.local', 0, true],
      ['file:../.env.production', 1, true],
      ['file:~/.env.development', 2, true],
    ]);
  });

  it('walks to the filesystem root when the working directory is outside home', async () => {
    const s = sandbox();
    const cwd = s.mkdir('srv/app');
    const k = fakeKey('api');
    s.write('srv/.env', `ANTHROPIC_API_KEY=${k}\n`);
    s.write('.env', `ANTHROPIC_AUTH_TOKEN=${k}\n`);
    const d = await run({ cwd, home: s.home });
    const ours = d.candidates.filter((c) => c.value === k);
    expect(ours.map((c) => [c.source, c.depth])).toEqual([
      ['file:../.env:1', 1],
      ['file:../../.env:1', 2],
    ]);
  });

  it('a .env holding only an empty credential does not hold a credential', async () => {
    const s = sandbox();
    s.write(path.join(s.project, '.env'), 'ANTHROPIC_API_KEY=\n');
    const d = await run({ cwd: s.project, home: s.home });
    expect(d.candidates.map(brief)).toEqual([
      { source: 'file:.env:1', origin: 'dotenv', name: 'ANTHROPIC_API_KEY', value: '', depth: 0 },
    ]);
    expect(d.dotenvFiles[0]!.holdsCredential).toBe(false);
  });

  it('dotenvLines finds the key line past multi-line values and blank lines', () => {
    const m = dotenvLines('\n\nA="one\ntwo"\n  export B = b\r\nC: c\n');
    expect([...m]).toEqual([
      ['A', 3],
      ['B', 5],
      ['C', 6],
    ]);
  });
});

describe('shell start-up files', () => {
  it('reads export, plain, fish set -x and csh setenv lines; skips comments and unknowable values', async () => {
    const s = sandbox();
    const k = Array.from({ length: 7 }, () => fakeKey('api'));
    s.write(
      path.join(s.home, '.bashrc'),
      [
        '# export ANTHROPIC_API_KEY=commented',
        `export ANTHROPIC_API_KEY="${k[0]}"`,
        `ANTHROPIC_AUTH_TOKEN='${k[1]}'   # plain assignment`,
        'export ANTHROPIC_BASE_URL=https://gw.example',
        'export ANTHROPIC_API_KEY="$(pass show anthropic)"',
        `export CLAUDE_KEY=${k[2]} # near miss`,
        `export SOMETHING=${k[3]}`,
        'export PATH="$HOME/bin:$PATH"',
      ].join('\n'),
    );
    s.write(
      path.join(s.home, '.config/fish/config.fish'),
      `if status is-interactive\n    set -gx ANTHROPIC_API_KEY '${k[4]}'\n    set NOT_EXPORTED ${k[5]}\nend\n`,
    );
    s.write(path.join(s.home, '.profile'), `setenv ANTHROPIC_API_KEY "${k[6]}"\n`);
    s.write(
      path.join(s.home, 'Documents/PowerShell/Microsoft.PowerShell_profile.ps1'),
      `$env:ANTHROPIC_API_KEY = "${k[0]}"\n`,
    );

    const d = await run({ cwd: s.project, home: s.home });
    expect(d.candidates.map((c) => [c.source, c.origin, c.name, c.value])).toEqual([
      ['file:~/.bashrc:2', 'shell', 'ANTHROPIC_API_KEY', k[0]],
      ['file:~/.bashrc:3', 'shell', 'ANTHROPIC_AUTH_TOKEN', k[1]],
      ['file:~/.bashrc:6', 'shell', 'CLAUDE_KEY', k[2]],
      ['file:~/.bashrc:7', 'shell', 'SOMETHING', k[3]],
      ['file:~/.profile:1', 'shell', 'ANTHROPIC_API_KEY', k[6]],
      ['file:~/.config/fish/config.fish:2', 'shell', 'ANTHROPIC_API_KEY', k[4]],
    ]);
    expect(d.notes).toEqual([
      '~/.bashrc:5 sets ANTHROPIC_API_KEY from a command or variable; its value is not known here',
    ]);
  });

  it('reads PowerShell profiles on Windows', async () => {
    const s = sandbox();
    const k = fakeKey('api');
    s.write(
      path.join(s.home, 'Documents/WindowsPowerShell/Microsoft.PowerShell_profile.ps1'),
      `# profile\n$Env:ANTHROPIC_API_KEY = '${k}'\n$env:OTHER = "x"\n`,
    );
    const d = await run({ cwd: s.project, home: s.home, platform: 'win32' });
    expect(d.candidates.map((c) => [c.source, c.value])).toEqual([
      ['file:~/Documents/WindowsPowerShell/Microsoft.PowerShell_profile.ps1:2', k],
    ]);
  });

  it('undoes shell quoting and escapes', () => {
    expect(shellAssignments('export A="x\\"y\\$z"\nB=a\\ b\nC="$D"\nexport E=\'$lit\'')).toEqual([
      { name: 'A', value: 'x"y$z', dynamic: false, line: 1 },
      { name: 'B', value: 'a b', dynamic: false, line: 2 },
      { name: 'C', value: '$D', dynamic: true, line: 3 },
      { name: 'E', value: '$lit', dynamic: false, line: 4 },
    ]);
    expect(shellAssignments('$env:A = "x`"y"\n$env:B = "$x"', true).map((a) => [a.value, a.dynamic])).toEqual([
      ['x"y', false],
      ['$x', true],
    ]);
  });
});

describe('Claude Code settings', () => {
  it('reads env blocks in precedence order; the highest apiKeyHelper wins, redacted', async () => {
    const s = sandbox();
    const [k1, k2] = [fakeKey('api'), fakeKey('api')];
    s.write(
      path.join(s.home, '.claude/settings.json'),
      JSON.stringify(
        { env: { ANTHROPIC_BASE_URL: 'https://gw.example', ANTHROPIC_API_KEY: k1 }, apiKeyHelper: `echo ${k2}` },
        null,
        2,
      ),
    );
    s.write(
      path.join(s.project, '.claude/settings.json'),
      JSON.stringify({ env: { ANTHROPIC_AUTH_TOKEN: '' } }, null, 2),
    );
    s.write(
      path.join(s.project, '.claude/settings.local.json'),
      JSON.stringify({ env: { MAX_THINKING_TOKENS: 1024, X: { nested: 1 } } }),
    );
    const managed = s.write(
      'etc/claude-code/managed-settings.json',
      JSON.stringify({ env: { ANTHROPIC_BASE_URL: 'https://corp.example' } }),
    );

    const d = await run({ cwd: s.project, home: s.home, managedSettingsPath: managed });
    const managedLabel = `file:${managed}`;
    expect(d.claudeSettingsEnv).toEqual([
      {
        origin: 'claude-user',
        source: 'file:~/.claude/settings.json',
        env: { ANTHROPIC_BASE_URL: 'https://gw.example', ANTHROPIC_API_KEY: k1 },
      },
      { origin: 'claude-project', source: 'file:.claude/settings.json', env: { ANTHROPIC_AUTH_TOKEN: '' } },
      { origin: 'claude-local', source: 'file:.claude/settings.local.json', env: { MAX_THINKING_TOKENS: '1024' } },
      { origin: 'claude-managed', source: managedLabel, env: { ANTHROPIC_BASE_URL: 'https://corp.example' } },
    ]);
    expect(d.candidates.map((c) => [c.source, c.origin, c.name, c.value])).toEqual([
      ['file:~/.claude/settings.json:4', 'claude-user', 'ANTHROPIC_API_KEY', k1],
      ['file:.claude/settings.json:3', 'claude-project', 'ANTHROPIC_AUTH_TOKEN', ''],
    ]);
    // Shown only as its program (cli-contract.md "Fingerprints and secrets"): the arguments may be secrets.
    expect(d.apiKeyHelper).toEqual({ source: 'file:~/.claude/settings.json', command: 'echo …' });

    s.write(path.join(s.project, '.claude/settings.local.json'), JSON.stringify({ apiKeyHelper: '~/bin/get-key.sh' }));
    const d2 = await run({ cwd: s.project, home: s.home, managedSettingsPath: managed });
    expect(d2.apiKeyHelper).toEqual({ source: 'file:.claude/settings.local.json', command: '~/bin/get-key.sh' });
  });

  it('uses $CLAUDE_CONFIG_DIR, and reads project settings only once when cwd is home', async () => {
    const s = sandbox();
    const k = fakeKey('api');
    const dir = s.mkdir('cfg/claude');
    s.write('cfg/claude/settings.json', JSON.stringify({ env: { ANTHROPIC_API_KEY: k } }));
    s.write(
      'cfg/claude/.claude.json',
      JSON.stringify({ customApiKeyResponses: { approved: [k.slice(-20)], rejected: [] } }),
    );
    s.write(path.join(s.home, '.claude/settings.json'), JSON.stringify({ env: { IGNORED: '1' } }));
    const d = await run({ env: { CLAUDE_CONFIG_DIR: dir }, cwd: s.project, home: s.home });
    expect(d.candidates.map((c) => c.source)).toEqual([`file:${dir}/settings.json:1`]);
    expect(d.claudeSettingsEnv.map((e) => e.origin)).toEqual(['claude-user']);
    expect(d.approvedKeySuffixes).toEqual([k.slice(-20)]);
    expect(d.credentialsFile).toMatchObject({ source: `file:${dir}/.credentials.json`, present: false, kinds: [] });

    const atHome = await run({ cwd: s.home, home: s.home });
    expect(atHome.claudeSettingsEnv).toEqual([
      { origin: 'claude-user', source: 'file:~/.claude/settings.json', env: { IGNORED: '1' } },
    ]);
  });

  it('reports the subscription login without ever holding its tokens', async () => {
    const s = sandbox();
    const access = fakeKey('oat');
    const refresh = fakeKey('ort');
    s.write(
      path.join(s.home, '.claude/.credentials.json'),
      JSON.stringify({
        claudeAiOauth: {
          accessToken: access,
          refreshToken: refresh,
          expiresAt: 1767225600000,
          scopes: ['user:inference', 'user:profile'],
          subscriptionType: 'max',
          rateLimitTier: 'x',
        },
      }),
    );
    s.write(
      path.join(s.home, '.claude.json'),
      JSON.stringify({
        customApiKeyResponses: { approved: ['a'.repeat(20)], rejected: ['b'.repeat(20), 7] },
        projects: {},
      }),
    );
    const d = await run({ cwd: s.project, home: s.home });
    expect(d.credentialsFile).toEqual({
      source: 'file:~/.claude/.credentials.json',
      present: true,
      kinds: ['oauth_access', 'oauth_refresh'],
      expiresAt: 1767225600000,
      subscriptionType: 'max',
      scopes: ['user:inference', 'user:profile'],
      accessTokenTail: access.slice(-4),
      accessTokenLength: access.length,
    });
    expect(d.approvedKeySuffixes).toEqual(['a'.repeat(20)]);
    expect(d.rejectedKeySuffixes).toEqual(['b'.repeat(20)]);
    const json = JSON.stringify(d);
    expect(leaksWindow(json, access, PREFIX.length)).toBe(false);
    expect(leaksWindow(json, refresh, PREFIX.length)).toBe(false);
  });
});

describe('files that cannot be read', () => {
  it('turns every problem into a short note, without secrets, and never throws', async () => {
    const s = sandbox();
    const secret = fakeKey('api');
    s.write(path.join(s.project, '.env'), Buffer.from(`ANTHROPIC_API_KEY=${secret}\0\n`));
    s.write(path.join(s.project, '.env.local'), 'A=1\n'.repeat(600_000)); // 2.4 MB
    s.mkdir(path.join(s.project, '.env.development'));
    s.symlink('.env.production', path.join(s.project, '.env.production')); // a link to itself
    s.write(
      path.join(s.home, '.bashrc'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`export ANTHROPIC_API_KEY=${secret}\n`, 'utf16le')]),
    );
    execFileSync('mkfifo', [path.join(s.home, '.zshrc')]); // reading it naively would hang
    s.write(path.join(s.home, '.claude/settings.json'), `{\n  "env": {"ANTHROPIC_API_KEY": ${secret}}\n}`);
    s.write(path.join(s.project, '.claude/settings.json'), '[1, 2]');
    s.write(path.join(s.project, '.claude/settings.local.json'), '{\n"env": {}\n"x": 1}');
    s.write(path.join(s.home, '.claude/.credentials.json'), `{"claudeAiOauth": {"accessToken": "${secret}"`);

    const d = await run({ cwd: s.project, home: s.home });
    expect(d.notes).toEqual([
      '.env: not read (binary file)',
      '.env.local: not read (larger than 1 MB)',
      '.env.development: not read (a directory, not a file)',
      '.env.production: not read (symlink loop)',
      '~/.bashrc: not read (UTF-16 encoded; expected UTF-8)',
      '~/.zshrc: not read (not a regular file)',
      '~/.claude/settings.json: not read (malformed JSON)',
      '.claude/settings.json: not read (not a JSON object)',
      '.claude/settings.local.json: not read (malformed JSON at line 3)',
      '~/.claude/.credentials.json: not read (malformed JSON at line 1)',
    ]);
    expect(d.candidates).toEqual([]);
    expect(d.dotenvFiles).toEqual([]);
    expect(d.credentialsFile).toMatchObject({ present: true, kinds: [] });
    expect(leaksWindow(JSON.stringify(d), secret, PREFIX.length)).toBe(false);
  });

  it('survives a deleted working directory', async () => {
    const s = sandbox();
    const k = fakeKey('api');
    s.write(path.join(s.home, 'code', '.env'), `ANTHROPIC_API_KEY=${k}\n`);
    const gone = mkdtempSync(path.join(s.home, 'code', 'gone-'));
    rmdirSync(gone);
    const d = await run({ env: { ANTHROPIC_API_KEY: k, PATH: process.env.PATH }, cwd: gone, home: s.home, git: true });
    expect(d.notes).toEqual([`the working directory ~/code/${path.basename(gone)} does not exist`]);
    expect(d.candidates.map((c) => c.source)).toEqual(['env:ANTHROPIC_API_KEY', 'file:../.env:1']);
    expect(d.leaks).toEqual([]);
  });

  it('survives a missing home directory', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'c401-nohome-'));
    try {
      const d = await run({ env: { ANTHROPIC_API_KEY: 'x' }, cwd, home: '' });
      expect(d.candidates.map((c) => c.source)).toEqual(['env:ANTHROPIC_API_KEY']);
      expect(d.notes).toContain('no home directory: shell start-up files and ~/.claude were not read');
      expect(d.credentialsFile).toBeUndefined();
    } finally {
      rmdirSync(cwd);
    }
  });
});

describe('macOS keychain login', () => {
  it('a keychain item for Claude Code counts as a subscription login; its secret is never asked for', async () => {
    const box = sandbox();
    const asked: string[] = [];
    const d = await run({
      cwd: box.project,
      home: box.home,
      platform: 'darwin',
      keychainHas: async (s) => (asked.push(s), true),
    });
    expect(asked).toEqual(['Claude Code-credentials']);
    expect(d.credentialsFile).toEqual({
      source: 'keychain:Claude Code-credentials',
      present: true,
      kinds: ['oauth_access'],
    });
    expect(d.notes.join('\n')).toMatch(/macOS keychain .*tokens were not read/);

    // The engine then reasons "subscription login", not "no credential".
    const { resolveClients, precedenceFindings } = await import('../../source/core/precedence.js');
    const rs = resolveClients(d, 'claude-code');
    expect(rs[0]?.usesSubscriptionLogin).toBe(true);
    expect(precedenceFindings(d, rs).map((f) => f.id)).not.toContain('key.missing');
  });

  it('no keychain item, or not macOS: nothing is assumed', async () => {
    const box = sandbox();
    const none = await run({ cwd: box.project, home: box.home, platform: 'darwin', keychainHas: async () => false });
    expect(none.credentialsFile?.present ?? false).toBe(false);
    let asked = false;
    const linux = await run({
      cwd: box.project,
      home: box.home,
      platform: 'linux',
      keychainHas: async () => ((asked = true), true),
    });
    expect(asked).toBe(false);
    expect(linux.credentialsFile?.present ?? false).toBe(false);
  });
});
