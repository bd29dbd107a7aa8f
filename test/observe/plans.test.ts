// What --observe-clients runs: each SDK copy by absolute path, Python anthropic only in an active
// virtualenv that has it, Claude Code unless a settings file sets ANTHROPIC_BASE_URL; and how a
// command typed into the wizard becomes argv (no shell).
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../source/io/discover.js';
import { installedClientPlans, sdkScript, splitCommand } from '../../source/observing.js';
import { CLAUDE_BIN, layout, linkPackage, SDK_0, SDK_1 } from './helpers.js';

describe('installed clients to watch', () => {
  it('each SDK copy, a venv with anthropic, and Claude Code from the project', async () => {
    const { root, home, cwd } = await layout();
    await linkPackage(cwd, '@anthropic-ai/sdk', SDK_1);
    await linkPackage(cwd, '@langchain/anthropic/node_modules/@anthropic-ai/sdk', SDK_0);
    await linkPackage(cwd, '@anthropic-ai/claude-code-linux-x64/claude', CLAUDE_BIN);
    const venv = join(root, 'venv');
    await mkdir(join(venv, 'bin'), { recursive: true });
    await mkdir(join(venv, 'lib/python3.12/site-packages/anthropic-0.121.0.dist-info'), { recursive: true });
    await writeFile(join(venv, 'bin/python'), '#!/bin/sh\n');
    await chmod(join(venv, 'bin/python'), 0o755);
    const env = { PATH: '/nonexistent', VIRTUAL_ENV: venv };
    // What discovery found installed is what gets run.
    const { clients } = await discover({ env, cwd, home, platform: 'linux', git: false, managedSettingsPath: null });
    const { plans, notes } = installedClientPlans({
      cwd,
      env,
      discovery: { claudeSettingsEnv: [], clients },
      node: '/usr/bin/node',
    });
    expect(notes).toEqual([]);
    expect(plans.map((p) => p.label)).toEqual([
      '@anthropic-ai/sdk 1.17.0 (node_modules/@anthropic-ai/sdk): models.list()',
      '@anthropic-ai/sdk 0.137.0 (node_modules/@langchain/anthropic/node_modules/@anthropic-ai/sdk): models.list()',
      'Python anthropic (the active virtualenv): models.list()',
      'claude -p hi',
    ]);
    expect(plans[0]!.argv.slice(0, 3)).toEqual(['/usr/bin/node', '--input-type=module', '-e']);
    expect(plans[0]!.argv[3]).toBe(sdkScript(join(cwd, 'node_modules/@anthropic-ai/sdk')));
    expect(plans[2]!.argv).toEqual([
      join(venv, 'bin/python'),
      '-c',
      'import anthropic; anthropic.Anthropic().models.list()',
    ]);
  });

  it("a copy in pnpm's store that a framework loads is watched too (discovery found it)", async () => {
    const { home, cwd } = await layout();
    const entry = '.pnpm/@langchain+anthropic@1.5.11_@langchain+core@1.4.0/node_modules';
    await linkPackage(cwd, `${entry}/@anthropic-ai/sdk`, SDK_0);
    const env = { PATH: '/nonexistent' };
    const { clients } = await discover({ env, cwd, home, platform: 'linux', git: false, managedSettingsPath: null });
    const { plans } = installedClientPlans({ cwd, env, discovery: { claudeSettingsEnv: [], clients }, node: 'node' });
    expect(plans.map((p) => p.label)).toEqual([
      `@anthropic-ai/sdk 0.137.0 (node_modules/${entry}/@anthropic-ai/sdk): models.list()`,
    ]);
    expect(plans[0]!.argv[3]).toBe(sdkScript(join(cwd, 'node_modules', entry, '@anthropic-ai/sdk')));
  });

  it(
    'no venv, a venv without anthropic, or a settings file with ANTHROPIC_BASE_URL: skipped, the last with a ' + 'note',
    async () => {
      const { root, home, cwd } = await layout();
      await linkPackage(cwd, '@anthropic-ai/claude-code-linux-x64/claude', CLAUDE_BIN);
      const venv = join(root, 'venv');
      await mkdir(join(venv, 'lib/python3.12/site-packages'), { recursive: true });
      const env = { PATH: '/nonexistent', VIRTUAL_ENV: venv };
      const { clients } = await discover({ env, cwd, home, platform: 'linux', git: false, managedSettingsPath: null });
      const { plans, notes } = installedClientPlans({
        cwd,
        env,
        discovery: {
          clients,
          claudeSettingsEnv: [
            {
              origin: 'claude-user',
              source: 'file:~/.claude/settings.json',
              env: { ANTHROPIC_BASE_URL: 'https://gw' },
            },
          ],
        },
        node: '/usr/bin/node',
      });
      expect(plans).toEqual([]);
      expect(notes).toEqual([
        'Claude Code was not observed: file:~/.claude/settings.json sets ANTHROPIC_BASE_URL, which outranks the ' +
          'environment, so it would not reach the local stand-in.',
      ]);
    },
  );
});

describe('a command typed into the wizard', () => {
  it.each([
    ['npm run dev', ['npm', 'run', 'dev']],
    ["node -e 'console.log(1 + 1)'", ['node', '-e', 'console.log(1 + 1)']],
    ['python "my app.py" --flag', ['python', 'my app.py', '--flag']],
    ['echo a\\ b $HOME | cat', ['echo', 'a b', '$HOME', '|', 'cat']],
    ['  ', []],
  ])('%j → %j (split, never run through a shell)', (line, argv) => {
    expect(splitCommand(line)).toEqual(argv);
  });
});
