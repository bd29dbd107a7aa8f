import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ancestors, displayPath } from '../../source/io/fsread.js';

describe('displayPath', () => {
  const home = '/home/u';
  const cwd = '/home/u/code/app';
  it.each([
    ['/home/u/code/app/.env', cwd, '.env'],
    ['/home/u/code/.env', cwd, '../.env'],
    ['/home/u/code/node_modules/@anthropic-ai/sdk/package.json', cwd, '../node_modules/@anthropic-ai/sdk/package.json'],
    ['/home/u/.env', cwd, '~/.env'],
    ['/home/u/.claude/settings.json', cwd, '~/.claude/settings.json'],
    ['/home/u/.bashrc', home, '~/.bashrc'], // cwd = home: still ~
    ['/etc/claude-code/managed-settings.json', cwd, '/etc/claude-code/managed-settings.json'],
    ['/home/.env', cwd, '/home/.env'],
    ['/srv/.env', '/srv/app', '../.env'],
    ['/srv/app/.venv/x', '/srv/app', '.venv/x'],
    ['/etc/x.json', '/srv/app', '/etc/x.json'],
    ['/home/u/.venvs/a', '/srv/app', '~/.venvs/a'],
  ])('%s from %s → %s', (abs, from, shown) => {
    expect(displayPath(abs, from, home)).toBe(shown);
  });
  it('works without a home', () => {
    expect(displayPath('/home/u/code/.env', cwd, '')).toBe('../.env');
  });
});

describe('ancestors', () => {
  it('stops at the given directory or the root', () => {
    expect(ancestors('/home/u/code/app', '/home/u')).toEqual(['/home/u/code/app', '/home/u/code', '/home/u']);
    expect(ancestors('/a/b')).toEqual(['/a/b', '/a', path.parse('/').root]);
  });
});
