// The one fix list (report.ts fixSteps): the headline's fix first, each step once, in an order
// that works top to bottom, commands in the user's shell; and the command/prose split of a fix line.
import { describe, expect, it } from 'vitest';
import { finding } from '../../source/core/findings.js';
import { fixLayout, splitFix } from '../../source/core/present.js';
import { fixSteps, inShell } from '../../source/core/report.js';
import type { Diagnosis, Finding } from '../../source/core/types.js';

function diag(findings: Finding[], summary: string, shell: string | null = 'bash'): Diagnosis {
  return { findings, summary, environment: { shell }, resolutions: [] } as unknown as Diagnosis;
}

const bearer = finding('header.bearer', 'an API key as Bearer', {
  severity: 'error',
  fix: [
    'unset ANTHROPIC_AUTH_TOKEN   # it sends Authorization: Bearer',
    'export ANTHROPIC_API_KEY="$ANTHROPIC_AUTH_TOKEN"',
    'export ANTHROPIC_API_KEY=<the key>   # sent as x-api-key',
  ],
});
const override = finding('env.auth_token_override', 'ANTHROPIC_AUTH_TOKEN is set', {
  severity: 'warning',
  fix: ['unset ANTHROPIC_AUTH_TOKEN'],
});

describe('fixSteps', () => {
  it('each step once: the same command with another comment, a second export of one variable', () => {
    const steps = fixSteps(diag([bearer, override], `${bearer.title} — unset`));
    expect(steps.filter((l) => l.startsWith('unset ANTHROPIC_AUTH_TOKEN'))).toHaveLength(1);
    expect(steps.filter((l) => l.startsWith('export ANTHROPIC_API_KEY'))).toHaveLength(1);
  });

  it('in an order that works: the copy from $ANTHROPIC_AUTH_TOKEN comes before unsetting it', () => {
    const steps = fixSteps(diag([bearer, override], bearer.title));
    const copy = steps.indexOf('export ANTHROPIC_API_KEY="$ANTHROPIC_AUTH_TOKEN"');
    const unset = steps.findIndex((l) => l.startsWith('unset ANTHROPIC_AUTH_TOKEN'));
    expect(copy).toBeGreaterThanOrEqual(0);
    expect(copy).toBeLessThan(unset);
  });

  it('the headline finding leads, even when another error comes first in the list', () => {
    const other = finding('key.whitespace', 'Whitespace in the key', { severity: 'error', fix: ['Re-paste it.'] });
    const steps = fixSteps(diag([other, bearer], `${bearer.title} — x`));
    expect(steps[0]).toBe('export ANTHROPIC_API_KEY="$ANTHROPIC_AUTH_TOKEN"');
    expect(steps.at(-1)).toBe('Re-paste it.');
  });

  it('commands in the user shell: fish, PowerShell, cmd; prose untouched', () => {
    const f = [bearer, override];
    expect(fixSteps(diag(f, bearer.title, 'fish'))).toEqual([
      'set -gx ANTHROPIC_API_KEY "$ANTHROPIC_AUTH_TOKEN"',
      'set -e ANTHROPIC_AUTH_TOKEN   # it sends Authorization: Bearer',
    ]);
    expect(fixSteps(diag(f, bearer.title, 'pwsh'))).toEqual([
      '$env:ANTHROPIC_API_KEY = "$env:ANTHROPIC_AUTH_TOKEN"',
      'Remove-Item Env:ANTHROPIC_AUTH_TOKEN   # it sends Authorization: Bearer',
    ]);
    expect(inShell('export ANTHROPIC_API_KEY=<the key>', 'cmd')).toBe('set ANTHROPIC_API_KEY=<the key>');
    expect(inShell('Add credits: Console → Billing.', 'fish')).toBe('Add credits: Console → Billing.');
  });
});

describe('a fix line: prose and command', () => {
  it('splits after ": " or " — "; a sentence is never a command', () => {
    expect(splitFix('Check it there: npx claude-401-wizard check --json')).toEqual({
      lead: 'Check it there:',
      command: 'npx claude-401-wizard check --json',
    });
    expect(splitFix('PROBLEM: a key as Bearer — unset ANTHROPIC_AUTH_TOKEN').command).toBe(
      'unset ANTHROPIC_AUTH_TOKEN',
    );
    expect(splitFix('Claude Code: unset X and export Y=<the key> instead.').command).toBeNull();
    expect(splitFix('Verify: run `npx claude-401-wizard check` again.').command).toBeNull();
  });

  it('at 40 columns a long command leaves its prose and stands whole at column 0; short ones stay inline', () => {
    const line = 'If only x-api-key: npm install @anthropic-ai/sdk@0   # 0.x sends x-api-key';
    expect(fixLayout('      → ', line, 40)).toEqual([
      '      → If only x-api-key:',
      'npm install @anthropic-ai/sdk@0   # 0.x sends x-api-key',
    ]);
    expect(fixLayout('      → ', 'unset ANTHROPIC_AUTH_TOKEN', 40)).toEqual(['      → unset ANTHROPIC_AUTH_TOKEN']);
    expect(fixLayout('      → ', line, 200)).toEqual([`      → ${line}`]);
  });
});
