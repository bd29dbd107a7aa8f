import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// `link` is wrapped so that a test can hold it (a write in flight) or make it unsupported.
const linkControl = vi.hoisted(() => ({
  gate: null as Promise<void> | null,
  unsupported: false,
}));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    link: async (from: string, to: string) => {
      if (linkControl.gate) await linkControl.gate;
      if (linkControl.unsupported) throw Object.assign(new Error('operation not supported'), { code: 'ENOTSUP' });
      return real.link(from, to);
    },
  };
});

const { cleanupPendingReports, defaultReportName, saveReport } = await import('../../source/io/save.js');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'c401-save-'));
  linkControl.gate = null;
  linkControl.unsupported = false;
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function hasSetpriv(): boolean {
  try {
    execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('defaultReportName', () => {
  it('uses local time, zero-padded', () => {
    expect(defaultReportName(new Date(2026, 0, 2, 3, 4, 5))).toBe('claude-401-report-20260102-030405.md');
    expect(defaultReportName(new Date(2026, 10, 23, 16, 40, 12))).toBe('claude-401-report-20261123-164012.md');
  });
});

describe('saveReport', () => {
  it('writes the content atomically with mode 0600 and leaves only the report', async () => {
    const path = join(dir, 'report.md');
    const content = '# Claude API 401 diagnosis\n' + 'x'.repeat(100_000);
    await expect(saveReport(path, content)).resolves.toEqual({ path });
    expect(await readFile(path, 'utf8')).toBe(content);
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['report.md']);
  });

  it('refuses to overwrite an existing file and leaves it unchanged', async () => {
    const path = join(dir, 'report.md');
    await writeFile(path, 'old content');
    await expect(saveReport(path, 'new content')).rejects.toThrow(`cannot write report to ${path}: file exists`);
    expect(await readFile(path, 'utf8')).toBe('old content');
    expect(await readdir(dir)).toEqual(['report.md']);
  });

  it('gives a one-line error for a missing directory', async () => {
    const path = join(dir, 'no-such-dir', 'report.md');
    const err = await saveReport(path, 'x').catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(`cannot write report to ${path}: directory does not exist`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps the message on one line even when the path holds a line break', async () => {
    const path = join(dir, 'a\nb', 'report.md');
    const err = (await saveReport(path, 'x').catch((e: unknown) => e)) as Error;
    expect(err.message).not.toMatch(/[\r\n]/);
    expect(err.message).toMatch(/^cannot write report to .*: directory does not exist$/);
  });

  it.skipIf(isRoot || process.platform === 'win32')('reports permission denied and leaves nothing behind', async () => {
    await chmod(dir, 0o500);
    const path = join(dir, 'report.md');
    await expect(saveReport(path, 'x')).rejects.toThrow(`cannot write report to ${path}: permission denied`);
    await chmod(dir, 0o700);
    expect(await readdir(dir)).toEqual([]);
  });

  // CI runs as root, where the test above cannot fail: the same save runs there as an unprivileged
  // user (setpriv), from a bundle of this very module, into a directory that user may not write.
  it.skipIf(!isRoot || process.platform === 'win32' || !hasSetpriv())(
    'as an unprivileged user (root: through setpriv): permission denied, nothing left behind',
    async () => {
      const { build } = await import('esbuild');
      const code = await mkdtemp(join(tmpdir(), 'c401-save-code-'));
      try {
        await build({
          entryPoints: [join(import.meta.dirname, '../../source/io/save.ts')],
          bundle: true,
          platform: 'node',
          format: 'esm',
          outfile: join(code, 'save.mjs'),
          logLevel: 'silent',
        });
        const path = join(dir, 'report.md');
        await writeFile(
          join(code, 'run.mjs'),
          `import { saveReport } from './save.mjs';\n` +
            `saveReport(${JSON.stringify(path)}, 'x').then(() => console.log('saved'), (e) => console.log(e.message));\n`,
        );
        await chmod(code, 0o755);
        await chmod(dir, 0o755); // root's directory: others may enter and read, not write
        const out = execFileSync(
          'setpriv',
          ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, join(code, 'run.mjs')],
          { encoding: 'utf8' },
        );
        expect(out.trim()).toBe(`cannot write report to ${path}: permission denied`);
        expect(await readdir(dir)).toEqual([]);
      } finally {
        await rm(code, { recursive: true, force: true });
      }
    },
  );

  it('falls back to rename where hard links are unsupported, still without overwriting', async () => {
    linkControl.unsupported = true;
    const path = join(dir, 'report.md');
    await saveReport(path, 'first');
    expect(await readFile(path, 'utf8')).toBe('first');
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
    await expect(saveReport(path, 'second')).rejects.toThrow(': file exists');
    expect(await readFile(path, 'utf8')).toBe('first');
    expect(await readdir(dir)).toEqual(['report.md']);
  });

  it('cleanupPendingReports removes a temp file in flight; the save then fails as cancelled', async () => {
    let release!: () => void;
    linkControl.gate = new Promise<void>((r) => (release = r));
    const path = join(dir, 'report.md');
    const saving = saveReport(path, 'content').catch((e: unknown) => e as Error);
    // The write is complete and held before link(): exactly one temp file, private.
    let names: string[] = [];
    while (names.length === 0) {
      await new Promise((r) => setTimeout(r, 5));
      names = await readdir(dir);
    }
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^\.report\.md\..*\.tmp$/);
    cleanupPendingReports();
    expect(await readdir(dir)).toEqual([]);
    release();
    const err = await saving;
    expect((err as Error).message).toBe(`cannot write report to ${path}: cancelled`);
    expect(await readdir(dir)).toEqual([]);
  });
});
