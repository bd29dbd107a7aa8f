// The commands inside fix lines, per platform and per place a setting was found (core/commands.ts).
import { describe, expect, it } from 'vitest';
import { loadDotenvCmd, removal, rename, sourceCmd } from '../../source/core/commands.js';
import type { Candidate } from '../../source/core/types.js';
import { envCandidate } from '../helpers/discovery.js';

const shell: Candidate = { source: 'file:~/.zshrc:12', origin: 'shell', name: 'ANTHROPIC_API_KEY', value: 'x' };
const settings: Candidate = {
  source: 'file:~/.claude/settings.json',
  origin: 'claude-user',
  name: 'ANTHROPIC_AUTH_TOKEN',
  value: 'x',
  line: 4,
};
const dotenv: Candidate = { source: 'file:.env:3', origin: 'dotenv', name: 'CLAUDE_KEY', value: 'x' };

describe('commands in fix lines', () => {
  it('removes a setting where it is, naming the file and line', () => {
    expect(removal('linux', envCandidate('ANTHROPIC_AUTH_TOKEN', 'x'))).toBe('unset ANTHROPIC_AUTH_TOKEN');
    expect(removal('win32', envCandidate('ANTHROPIC_AUTH_TOKEN', 'x'))).toBe('Remove-Item Env:ANTHROPIC_AUTH_TOKEN');
    expect(removal('linux', shell)).toBe(
      'Edit ~/.zshrc line 12: remove the ANTHROPIC_API_KEY line, then run: unset ANTHROPIC_API_KEY',
    );
    expect(removal('linux', settings)).toBe(
      'Edit ~/.claude/settings.json line 4: remove "ANTHROPIC_AUTH_TOKEN" from "env"',
    );
    expect(removal('darwin', dotenv)).toBe('Edit .env line 3: remove CLAUDE_KEY');
  });

  it('renames, sources and loads the same way on each platform', () => {
    const env = envCandidate('CLAUDE_KEY', 'x');
    expect(rename('linux', env, 'ANTHROPIC_API_KEY')).toEqual([
      'export ANTHROPIC_API_KEY="$CLAUDE_KEY"',
      'unset CLAUDE_KEY',
    ]);
    expect(rename('win32', env, 'ANTHROPIC_API_KEY')).toEqual([
      '$env:ANTHROPIC_API_KEY = $env:CLAUDE_KEY',
      'Remove-Item Env:CLAUDE_KEY',
    ]);
    expect(rename('linux', dotenv, 'ANTHROPIC_API_KEY')).toEqual([
      'Edit .env line 3: rename CLAUDE_KEY to ANTHROPIC_API_KEY',
    ]);
    expect(sourceCmd('linux', '~/.zshrc')).toBe('source ~/.zshrc');
    expect(sourceCmd('win32', '$PROFILE')).toBe('. $PROFILE');
    expect(loadDotenvCmd('.env')).toBe('set -a; . .env; set +a');
  });
});
