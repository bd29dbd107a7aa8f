import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverClients, pyprojectSpec, requirementsSpec, tomlLockVersion } from '../../source/io/clients.js';
import { sandbox } from './sandbox.js';

async function clients(cwd: string, home: string, env: Record<string, string> = {}) {
  const notes: string[] = [];
  const found = await discoverClients(cwd, env, notes, home);
  return { found, notes };
}

const json = (v: unknown) => JSON.stringify(v, null, 2);

describe('@anthropic-ai/sdk', () => {
  it('installed 1.x beats a declared 0.x range and sends Authorization', async () => {
    const s = sandbox();
    s.write(
      path.join(s.project, 'node_modules/@anthropic-ai/sdk/package.json'),
      json({ name: '@anthropic-ai/sdk', version: '1.12.0' }),
    );
    s.write(path.join(s.project, 'package.json'), json({ dependencies: { '@anthropic-ai/sdk': '^0.60.0' } }));
    const { found, notes } = await clients(s.project, s.home);
    expect(found).toEqual([
      {
        name: '@anthropic-ai/sdk',
        version: '1.12.0',
        source: 'file:node_modules/@anthropic-ai/sdk/package.json',
        how: 'installed',
        sends: 'authorization',
        model: 'sdk-ts-1',
        // Where --observe-clients runs it from.
        dir: path.join(s.project, 'node_modules/@anthropic-ai/sdk'),
      },
    ]);
    expect(notes).toEqual([]);
  });

  it('0.x only locked in the workspace root: the member’s own copy first, then the hoisted one', async () => {
    const s = sandbox();
    const member = s.mkdir(path.join(s.project, 'packages/api'));
    s.write(path.join(member, 'package.json'), json({ dependencies: { '@anthropic-ai/sdk': '^1.0.0' } }));
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': {},
        'node_modules/@anthropic-ai/sdk': { version: '1.3.0' },
        'packages/api/node_modules/@anthropic-ai/sdk': { version: '0.137.0' },
      },
    };
    s.write(path.join(s.project, 'package-lock.json'), json(lock));
    const { found } = await clients(member, s.home);
    expect(found).toEqual([
      {
        name: '@anthropic-ai/sdk',
        version: '0.137.0',
        source: 'file:../../package-lock.json',
        how: 'locked',
        sends: 'x-api-key',
        model: 'sdk-ts-0',
      },
    ]);
    const other = s.mkdir(path.join(s.project, 'packages/web'));
    expect((await clients(other, s.home)).found[0]).toMatchObject({ version: '1.3.0', model: 'sdk-ts-1' });
  });

  it('reads lockfile v1 dependencies', async () => {
    const s = sandbox();
    s.write(
      path.join(s.project, 'package-lock.json'),
      json({ lockfileVersion: 1, dependencies: { '@anthropic-ai/sdk': { version: '0.20.1' } } }),
    );
    expect((await clients(s.project, s.home)).found[0]).toMatchObject({
      version: '0.20.1',
      how: 'locked',
      sends: 'x-api-key',
      model: 'sdk-ts-0',
    });
  });

  it(
    'a declared range is read as npm reads it: the highest version it allows (issue 18); "*" is assumed the ' +
      'newest with a note',
    async () => {
      const s = sandbox();
      const pkg = path.join(s.project, 'package.json');
      s.write(pkg, json({ devDependencies: { '@anthropic-ai/sdk': '^1.2.0' } }));
      expect((await clients(s.project, s.home)).found).toEqual([
        {
          name: '@anthropic-ai/sdk',
          version: '^1.2.0',
          source: 'file:package.json',
          how: 'declared',
          sends: 'authorization',
          model: 'sdk-ts-1',
        },
      ]);
      s.write(pkg, json({ peerDependencies: { '@anthropic-ai/sdk': '^0.60.0' } }));
      expect((await clients(s.project, s.home)).found[0]).toMatchObject({
        version: '^0.60.0',
        sends: 'x-api-key',
        model: 'sdk-ts-0',
      });
      // npm and pnpm install 1.17.0 for both of these (fact sheet §5, observed 2026-12-04).
      for (const range of ['>=0.60.0', '^0.60.0 || ^1.0.0']) {
        s.write(pkg, json({ dependencies: { '@anthropic-ai/sdk': range } }));
        const r = await clients(s.project, s.home);
        expect(r.found[0]).toMatchObject({ version: range, sends: 'authorization', model: 'sdk-ts-1' });
        expect(r.notes).toEqual([]);
      }
      s.write(
        pkg,
        json({ dependencies: { '@anthropic-ai/sdk': 'git+https://ci:tok_0123456789@git.example/sdk.git' } }),
      );
      const url = await clients(s.project, s.home);
      expect(url.found[0]).toMatchObject({ version: 'git+https://git.example/sdk.git', model: 'sdk-ts-1' });
      expect(url.notes.join('\n')).not.toContain('tok_');
      s.write(pkg, json({ dependencies: { '@anthropic-ai/sdk': '*' } }));
      const star = await clients(s.project, s.home);
      expect(star.found[0]).toMatchObject({ version: '*', sends: 'authorization', model: 'sdk-ts-1' });
      expect(star.notes).toEqual([
        'package.json: @anthropic-ai/sdk "*" names no version; assumed @anthropic-ai/sdk 1.x (sends Authorization)',
      ]);
    },
  );

  it('a malformed package-lock is noted and skipped; the declared range still counts', async () => {
    const s = sandbox();
    s.write(path.join(s.project, 'package-lock.json'), '{"lockfileVersion": 3, "packages": {');
    s.write(path.join(s.project, 'package.json'), json({ dependencies: { '@anthropic-ai/sdk': '^0.50.0' } }));
    const { found, notes } = await clients(s.project, s.home);
    expect(found).toEqual([
      {
        name: '@anthropic-ai/sdk',
        version: '^0.50.0',
        source: 'file:package.json',
        how: 'declared',
        sends: 'x-api-key',
        model: 'sdk-ts-0',
      },
    ]);
    expect(notes).toEqual(['package-lock.json: not read (malformed JSON at line 1)']);
  });

  it('a huge package.json is skipped with a note; a large package-lock is still read', async () => {
    const s = sandbox();
    s.write(
      path.join(s.project, 'package.json'),
      json({ description: 'x'.repeat(1_100_000), dependencies: { '@anthropic-ai/sdk': '^1.0.0' } }),
    );
    expect(await clients(s.project, s.home)).toEqual({
      found: [],
      notes: ['package.json: not read (larger than 1 MB)'],
    });
    s.write(
      path.join(s.project, 'package-lock.json'),
      json({
        lockfileVersion: 3,
        padding: 'x'.repeat(3_000_000),
        packages: { 'node_modules/@anthropic-ai/sdk': { version: '1.1.0' } },
      }),
    );
    expect((await clients(s.project, s.home)).found[0]).toMatchObject({ version: '1.1.0', how: 'locked' });
  });
});

describe('Python anthropic', () => {
  it('an active virtualenv’s dist-info is installed (POSIX and Windows layouts)', async () => {
    const s = sandbox();
    const venv = path.join(s.project, '.venv');
    s.mkdir(path.join(venv, 'lib/python3.12/site-packages/anthropic-0.40.0.dist-info'));
    s.mkdir(path.join(venv, 'lib/python3.12/site-packages/anthropic_bedrock-0.1.0.dist-info'));
    s.write(path.join(s.project, 'requirements.txt'), 'anthropic==0.30.0\n');
    expect((await clients(s.project, s.home, { VIRTUAL_ENV: venv })).found).toEqual([
      {
        name: 'anthropic',
        version: '0.40.0',
        source: 'file:.venv/lib/python3.12/site-packages/anthropic-0.40.0.dist-info',
        how: 'installed',
        sends: 'x-api-key',
        model: 'sdk-py',
      },
    ]);
    const winVenv = s.mkdir(path.join(s.home, 'venvs/w/Lib/site-packages/anthropic-1.13.0.dist-info'));
    const found = (await clients(s.project, s.home, { VIRTUAL_ENV: path.join(s.home, 'venvs/w') })).found[0];
    expect(found).toMatchObject({
      version: '1.13.0',
      how: 'installed',
      source: 'file:~/venvs/w/Lib/site-packages/anthropic-1.13.0.dist-info',
    });
    expect(winVenv).toBeTruthy();
  });

  it('uv.lock, then poetry.lock, beat declarations', async () => {
    const s = sandbox();
    s.write(path.join(s.project, 'pyproject.toml'), '[project]\nname = "app"\ndependencies = ["anthropic>=0.30"]\n');
    s.write(
      path.join(s.project, 'poetry.lock'),
      '[[package]]\nname = "anthropic"\nversion = "0.39.0"\n\n[package.dependencies]\nhttpx = "*"\n',
    );
    expect((await clients(s.project, s.home)).found).toEqual([
      {
        name: 'anthropic',
        version: '0.39.0',
        source: 'file:poetry.lock',
        how: 'locked',
        sends: 'x-api-key',
        model: 'sdk-py',
      },
    ]);
    s.write(
      path.join(s.project, 'uv.lock'),
      [
        'version = 1',
        '[[package]]',
        'name = "anthropic-bedrock"',
        'version = "9.9.9"',
        '',
        '[[package]]',
        'name = "anthropic"',
        'version = "0.42.0"',
        'source = { registry = "https://pypi.org/simple" }',
        'dependencies = [',
        '    { name = "httpx" },',
        ']',
      ].join('\n'),
    );
    expect((await clients(s.project, s.home)).found[0]).toMatchObject({
      version: '0.42.0',
      source: 'file:uv.lock',
      how: 'locked',
    });
  });

  it('requirements*.txt: pins, ranges, extras, hashes; not other packages', () => {
    expect(requirementsSpec('anthropic==1.2.3\n')).toBe('==1.2.3');
    expect(requirementsSpec('# anthropic==9\nanthropic-bedrock==1\nanthropic >= 0.30, <1  # pinned later\n')).toBe(
      '>=0.30,<1',
    );
    expect(requirementsSpec('anthropic[bedrock,vertex]==0.40.0 \\\n    --hash=sha256:abc\n')).toBe('==0.40.0');
    expect(requirementsSpec('anthropic; python_version >= "3.8"\n')).toBe('*');
    expect(requirementsSpec('requests\n')).toBeNull();
  });

  it('finds requirements-dev.txt in a parent; the nearest directory wins', async () => {
    const s = sandbox();
    s.write(path.join(s.home, 'code/requirements-dev.txt'), 'anthropic[bedrock]==0.30.0\n');
    expect((await clients(s.project, s.home)).found).toEqual([
      {
        name: 'anthropic',
        version: '==0.30.0',
        source: 'file:../requirements-dev.txt',
        how: 'declared',
        sends: 'x-api-key',
        model: 'sdk-py',
      },
    ]);
    s.write(path.join(s.project, 'requirements.txt'), 'anthropic>=0.45\n');
    expect((await clients(s.project, s.home)).found[0]).toMatchObject({
      version: '>=0.45',
      source: 'file:requirements.txt',
    });
  });

  it('pyproject.toml: PEP 621, optional deps, dependency groups, Poetry tables; not the name or keywords', async () => {
    expect(
      pyprojectSpec(
        '[project]\nname = "anthropic"\nkeywords = ["anthropic", "claude"]\ndependencies = [\n  "httpx",\n  ' +
          '"anthropic[bedrock]>=0.30",  # comment\n]\n',
      ),
    ).toBe('>=0.30');
    expect(pyprojectSpec('[project]\nname = "x"\ndependencies = ["anthropic[vertex]", "rich"]\n')).toBe('*');
    expect(pyprojectSpec('[project.optional-dependencies]\nai = [\n  "anthropic~=0.40",\n]\n')).toBe('~=0.40');
    expect(pyprojectSpec('[dependency-groups]\ndev = ["anthropic==1.0.0"]\n')).toBe('==1.0.0');
    expect(pyprojectSpec('[tool.poetry.dependencies]\npython = "^3.10"\nanthropic = "^0.40"\n')).toBe('^0.40');
    expect(
      pyprojectSpec('[tool.poetry.group.dev.dependencies]\nanthropic = { version = "^0.41", extras = ["bedrock"] }\n'),
    ).toBe('^0.41');
    expect(
      pyprojectSpec(
        '[project]\nname = "anthropic"\nkeywords = ["anthropic"]\ndependencies = ' +
          '["httpx"]\n[tool.x]\nanthropic = "1"\n',
      ),
    ).toBeNull();

    const s = sandbox();
    s.write(path.join(s.project, 'pyproject.toml'), '[tool.poetry.dependencies]\nanthropic = "^0.40"\n');
    expect((await clients(s.project, s.home)).found).toEqual([
      {
        name: 'anthropic',
        version: '^0.40',
        source: 'file:pyproject.toml',
        how: 'declared',
        sends: 'x-api-key',
        model: 'sdk-py',
      },
    ]);
  });

  it('tomlLockVersion ignores packages whose name only starts with anthropic', () => {
    expect(tomlLockVersion('[[package]]\nname = "anthropic-tools"\nversion = "1.0.0"\n')).toBeNull();
  });
});

describe('both and none', () => {
  it('reports one client per name, TypeScript first', async () => {
    const s = sandbox();
    s.write(path.join(s.project, 'package.json'), json({ dependencies: { '@anthropic-ai/sdk': '^1.12.0' } }));
    s.write(path.join(s.project, 'requirements.txt'), 'anthropic==1.13.0\n');
    s.write(path.join(s.home, 'code/package.json'), json({ dependencies: { '@anthropic-ai/sdk': '^0.1.0' } }));
    const { found } = await clients(s.project, s.home);
    expect(found.map((c) => [c.name, c.version, c.model])).toEqual([
      ['@anthropic-ai/sdk', '^1.12.0', 'sdk-ts-1'],
      ['anthropic', '==1.13.0', 'sdk-py'],
    ]);
  });

  it('finds nothing in an empty project', async () => {
    const s = sandbox();
    s.write(path.join(s.project, 'package.json'), json({ dependencies: { react: '^19' } }));
    expect(await clients(s.project, s.home)).toEqual({ found: [], notes: [] });
  });
});

describe('every copy the project runs (issue 18)', () => {
  const pkgJson = (name: string, version: string) => json({ name, version });
  const at = (s: ReturnType<typeof sandbox>, rel: string, name: string, version: string) =>
    s.write(path.join(s.project, rel, 'package.json'), pkgJson(name, version));

  it('npm: the project’s copy, a framework’s nested copy (via), @ai-sdk/anthropic', async () => {
    const s = sandbox();
    at(s, 'node_modules/@anthropic-ai/sdk', '@anthropic-ai/sdk', '1.17.0');
    at(s, 'node_modules/@langchain/anthropic', '@langchain/anthropic', '1.5.11');
    at(s, 'node_modules/@langchain/anthropic/node_modules/@anthropic-ai/sdk', '@anthropic-ai/sdk', '0.122.0');
    at(s, 'node_modules/@ai-sdk/anthropic', '@ai-sdk/anthropic', '3.0.140');
    const { found, notes } = await clients(s.project, s.home);
    expect(found.map((c) => [c.name, c.version, c.model, c.sends, c.via ?? null, c.source])).toEqual([
      [
        '@anthropic-ai/sdk',
        '1.17.0',
        'sdk-ts-1',
        'authorization',
        null,
        'file:node_modules/@anthropic-ai/sdk/package.json',
      ],
      ['@ai-sdk/anthropic', '3.0.140', 'ai-sdk', 'x-api-key', null, 'file:node_modules/@ai-sdk/anthropic/package.json'],
      [
        '@anthropic-ai/sdk',
        '0.122.0',
        'sdk-ts-0',
        'x-api-key',
        '@langchain/anthropic',
        'file:node_modules/@langchain/anthropic/node_modules/@anthropic-ai/sdk/package.json',
      ],
    ]);
    expect(notes).toEqual([]);
  });

  it('pnpm: symlinks into node_modules/.pnpm; the framework’s copy is found through its store entry', async () => {
    const s = sandbox();
    const store = 'node_modules/.pnpm';
    at(s, `${store}/@anthropic-ai+sdk@1.17.0/node_modules/@anthropic-ai/sdk`, '@anthropic-ai/sdk', '1.17.0');
    at(s, `${store}/@anthropic-ai+sdk@0.122.0/node_modules/@anthropic-ai/sdk`, '@anthropic-ai/sdk', '0.122.0');
    const lc = `${store}/@langchain+anthropic@1.5.11_@langchain+core@1.4.0/node_modules`;
    at(s, `${lc}/@langchain/anthropic`, '@langchain/anthropic', '1.5.11');
    s.mkdir(path.join(s.project, lc, '@anthropic-ai'));
    s.symlink(
      path.join(s.project, store, '@anthropic-ai+sdk@0.122.0/node_modules/@anthropic-ai/sdk'),
      path.join(s.project, lc, '@anthropic-ai/sdk'),
    );
    s.mkdir(path.join(s.project, 'node_modules/@anthropic-ai'));
    s.mkdir(path.join(s.project, 'node_modules/@langchain'));
    s.symlink(
      path.join(s.project, store, '@anthropic-ai+sdk@1.17.0/node_modules/@anthropic-ai/sdk'),
      path.join(s.project, 'node_modules/@anthropic-ai/sdk'),
    );
    s.symlink(
      path.join(s.project, lc, '@langchain/anthropic'),
      path.join(s.project, 'node_modules/@langchain/anthropic'),
    );
    const { found } = await clients(s.project, s.home);
    expect(found.map((c) => [c.version, c.model, c.via ?? null])).toEqual([
      ['1.17.0', 'sdk-ts-1', null],
      ['0.122.0', 'sdk-ts-0', '@langchain/anthropic'],
    ]);
    expect(found[1]!.source).toBe(
      'file:node_modules/.pnpm/@langchain+anthropic@1.5.11_@langchain+core@1.4.0/' +
        'node_modules/@anthropic-ai/sdk/package.json',
    );
  });

  it('only a framework’s copy, hoisted: it is the framework’s (no direct dependency is declared)', async () => {
    const s = sandbox();
    s.write(path.join(s.project, 'package.json'), json({ dependencies: { '@langchain/anthropic': '^1.5.11' } }));
    at(s, 'node_modules/@anthropic-ai/sdk', '@anthropic-ai/sdk', '0.122.0');
    at(s, 'node_modules/@langchain/anthropic', '@langchain/anthropic', '1.5.11');
    const { found } = await clients(s.project, s.home);
    expect(found.map((c) => [c.version, c.model])).toEqual([['0.122.0', 'sdk-ts-0']]);
  });

  it('Claude Code: the `claude` on PATH, its version from its package without running it', async () => {
    const s = sandbox();
    const pkg = path.join(s.root, 'global/lib/node_modules/@anthropic-ai/claude-code');
    s.write(path.join(pkg, 'package.json'), pkgJson('@anthropic-ai/claude-code', '2.1.332'));
    s.write(path.join(pkg, 'bin/claude.exe'), 'not run');
    s.mkdir(path.join(s.root, 'global/bin'));
    s.symlink(path.join(pkg, 'bin/claude.exe'), path.join(s.root, 'global/bin/claude'));
    const ran: string[] = [];
    const notes: string[] = [];
    const found = await discoverClients(s.project, { PATH: `relative/bin:${s.root}/global/bin` }, notes, s.home, {
      claudeVersion: (f) => (ran.push(f), Promise.resolve(null)),
    });
    expect(found).toEqual([
      {
        name: 'claude-code',
        version: '2.1.332',
        source: `file:${path.join(s.root, 'global/bin/claude')}`,
        how: 'installed',
        sends: 'x-api-key',
        model: 'claude-code',
      },
    ]);
    expect(ran).toEqual([]);
    // The native installer's layout: the version is the file's name; else `claude --version`.
    const native = path.join(s.home, '.local/share/claude/versions/2.1.330');
    s.write(native, 'not run');
    s.mkdir(path.join(s.home, '.local/bin'));
    s.symlink(native, path.join(s.home, '.local/bin/claude'));
    const n = await discoverClients(s.project, { PATH: path.join(s.home, '.local/bin') }, notes, s.home);
    expect(n.map((c) => [c.name, c.version, c.source])).toEqual([
      ['claude-code', '2.1.330', 'file:~/.local/bin/claude'],
    ]);
    s.write(path.join(s.root, 'other/claude'), 'x');
    const asked = await discoverClients(s.project, { PATH: path.join(s.root, 'other') }, notes, s.home, {
      claudeVersion: (f) => (ran.push(f), Promise.resolve('2.1.400')),
    });
    expect(asked.map((c) => c.version)).toEqual(['2.1.400']);
    expect(ran).toEqual([path.join(s.root, 'other/claude')]);
  });
});
