import { describe, expect, it } from 'vitest';
import { isInteractive, parseArgs, UsageError } from '../../source/core/args.js';

function usage(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('parseArgs', () => {
  it('defaults to the wizard with the contract defaults', () => {
    const c = parseArgs([]);
    expect(c.kind).toBe('wizard');
    if (c.kind !== 'wizard') return;
    expect(c.options).toMatchObject({
      apiUrl: 'https://api.anthropic.com',
      client: 'auto',
      network: true,
      timeoutMs: 10000,
      waitSeconds: 0,
      json: false,
      strict: false,
    });
  });

  it('parses every option of check, in both --flag value and --flag=value forms', () => {
    const c = parseArgs([
      'check',
      '--json',
      '--api-url=http://127.0.0.1:9/',
      '--probe-base-url',
      '--no-network',
      '--client',
      'sdk',
      '--error',
      'boom',
      '--key-env',
      'MY_KEY',
      '--project',
      '/tmp',
      '--model',
      'claude-sonnet-4-5',
      '--key-age',
      '3',
      '--wait',
      '30',
      '--admin-key-env',
      'ADM',
      '--provider',
      'vertex',
      '--timeout',
      '2500',
      '--strict',
      '--no-color',
      '--report',
      'r.md',
    ]);
    expect(c.kind).toBe('check');
    if (c.kind !== 'check') return;
    expect(c.options).toEqual({
      json: true,
      report: 'r.md',
      apiUrl: 'http://127.0.0.1:9',
      probeBaseUrl: true,
      network: false,
      client: 'sdk',
      errorText: 'boom',
      keyEnv: 'MY_KEY',
      project: '/tmp',
      model: 'claude-sonnet-4-5',
      keyAgeMinutes: 3,
      waitSeconds: 30,
      adminKeyEnv: 'ADM',
      provider: 'vertex',
      timeoutMs: 2500,
      strict: true,
      color: false,
      observeClients: false,
      observeTimeoutSeconds: 30,
    });
  });

  it('drops a trailing /v1 from --api-url (clients add it)', () => {
    const c = parseArgs(['check', '--api-url', 'https://gw.example/v1/']);
    expect(c.kind === 'check' && c.options.apiUrl).toBe('https://gw.example');
  });

  it.each([
    [['--bogus'], /unknown option --bogus/],
    [['--client', 'vim'], /--client must be one of claude-code, sdk, curl, other, auto/],
    [['--provider', 'azure'], /--provider must be one of/],
    [['--timeout', '-5'], /--timeout takes milliseconds from 100 to 600000/],
    [['--timeout', '1e9'], /--timeout/],
    [['--wait', 'soon'], /--wait takes seconds/],
    [['--key-age', 'NaN'], /--key-age takes minutes/],
    [['--api-url', 'ftp://x'], /--api-url must start with https:\/\/ or http:\/\//],
    [['--api-url', 'not a url'], /--api-url takes an http\(s\) URL/],
    [['--api-url', 'https://u:p@h.example'], /user:password/],
    [['--key-env', 'sk-ant-whatever'], /--key-env takes an environment variable NAME/],
    [['--admin-key-env', 'a b'], /NAME/],
    [['--report'], /--report needs a value/],
    [['--json', '--report', '-'], /--report - prints the report on stdout/],
    [['--error', 'x', '--error-file', 'f'], /not both/],
    [['launch'], /unknown command "launch"/],
    [['check', 'extra'], /unexpected argument/],
    [['--json=yes'], /takes no value/],
    [['--model', 'a b'], /--model takes a model id/],
    [['--list'], /--list goes with demo/],
  ])('rejects %j with one clear line', (argv, pattern) => {
    const msg = usage(argv);
    expect(msg).toMatch(pattern);
    expect(msg).not.toContain('\n');
  });

  it('never echoes more than a few characters of a bad value (it may be a pasted key)', () => {
    const secret = 'sk-ant-' + 'api03-' + 'Q'.repeat(93) + 'AA';
    const msg = usage(['--timeout', secret]);
    expect(msg).not.toContain('QQQQQQQQ');
    expect(usage([secret])).not.toContain('QQQQQQQQ');
  });

  it('help and version win over everything else', () => {
    expect(parseArgs(['check', '--help']).kind).toBe('help');
    expect(parseArgs(['-v']).kind).toBe('version');
  });

  it('demo takes a scenario name and --list', () => {
    const c = parseArgs(['demo', 'revoked-key']);
    expect(c.kind === 'demo' && c.scenario).toBe('revoked-key');
    const l = parseArgs(['demo', '--list']);
    expect(l.kind === 'demo' && l.list).toBe(true);
  });

  it('NO_COLOR turns colour off', () => {
    const c = parseArgs(['check'], { NO_COLOR: '1' });
    expect(c.kind === 'check' && c.options.color).toBe(false);
  });
});

describe('isInteractive', () => {
  const tty = { stdinTTY: true, stdoutTTY: true, json: false };
  it('needs both TTYs, no --json and no CI', () => {
    expect(isInteractive({ ...tty, env: {} })).toBe(true);
    expect(isInteractive({ ...tty, stdinTTY: false, env: {} })).toBe(false);
    expect(isInteractive({ ...tty, stdoutTTY: false, env: {} })).toBe(false);
    expect(isInteractive({ ...tty, json: true, env: {} })).toBe(false);
    expect(isInteractive({ ...tty, env: { CI: 'true' } })).toBe(false);
    expect(isInteractive({ ...tty, env: { CONTINUOUS_INTEGRATION: '1' } })).toBe(false);
  });
  it('treats CI=0 and CI=false as unset', () => {
    expect(isInteractive({ ...tty, env: { CI: '0' } })).toBe(true);
    expect(isInteractive({ ...tty, env: { CI: 'false' } })).toBe(true);
    expect(isInteractive({ ...tty, env: { CI: 'FALSE' } })).toBe(true);
  });
});
