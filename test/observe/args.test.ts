// The `observe` command line and the three client.* ids in the one catalogue.
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../source/core/args.js';
import { catalogueEntry, finding } from '../../source/core/findings.js';

describe('observe [options] -- COMMAND [ARG…]', () => {
  it('takes everything after -- as the command, untouched, and the options before it', () => {
    const cmd = parseArgs(['observe', '--json', '--observe-timeout', '5', '--', 'npm', 'run', 'dev', '--json']);
    expect(cmd).toMatchObject({ kind: 'observe', argv: ['npm', 'run', 'dev', '--json'] });
    if (cmd.kind !== 'observe') throw new Error('not observe');
    expect(cmd.options.json).toBe(true);
    expect(cmd.options.observeTimeoutSeconds).toBe(5);
    expect(parseArgs(['observe', '--', 'x']).kind === 'observe' && parseArgs(['observe', '--', 'x'])).toMatchObject({
      options: { observeTimeoutSeconds: 30 },
    });
  });

  it('check --observe-clients', () => {
    const cmd = parseArgs(['check', '--observe-clients']);
    expect(cmd.kind === 'check' && cmd.options.observeClients).toBe(true);
  });

  it.each([
    [['observe'], /after --/],
    [['observe', '--'], /needs a command/],
    [['observe', 'npm', 'test'], /after --/],
    [['observe', '--observe-timeout', '0', '--', 'x'], /--observe-timeout takes seconds from 1 to 600/],
    [['observe', '--list', '--', 'x'], /--list goes with demo/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('-- outside observe keeps its old meaning (positionals)', () => {
    expect(() => parseArgs(['check', '--', 'extra'])).toThrow(/unexpected argument/);
  });
});

describe('client.* findings in the catalogue', () => {
  it.each([
    ['client.no_request', 'key_format'],
    ['client.unknown_credential', 'key_format'],
    ['client.bypasses_base_url', 'provider'],
  ] as const)('%s is on step %s with fix text', (id, step) => {
    expect(catalogueEntry(id).step).toBe(step);
    expect(catalogueEntry(id).fix.length).toBeGreaterThan(0);
    expect(finding(id, 'd').id).toBe(id);
  });
});
