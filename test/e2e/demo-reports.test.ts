// Issue 7's bar: the report of every demo setup is something support can act on, and safe to
// paste in public — secretlint finds nothing in it and no credential-shaped string survives.
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../source/emulator/scenarios.js';
import { requireBuild, runCli, sandbox } from '../helpers/cli.js';
import { secretlintMessages } from '../helpers/secretlint.js';

const CREDENTIAL_SHAPED = /sk-ant-[a-z]{2,8}\d{0,3}-[A-Za-z0-9_-]{8,}/;

beforeAll(() => requireBuild());

describe.concurrent('demo reports', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))(
    '%s: names its cause, passes secretlint, reads as a support ticket',
    async (_name, scenario) => {
      const box = await sandbox('c401-report-');
      const out = await mkdtemp(join(tmpdir(), 'c401-reports-'));
      const file = join(out, `${scenario.name}.md`);
      const r = await runCli(['demo', scenario.name, '--report', file], { ...box, timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const md = await readFile(file, 'utf8');
      expect(md).toContain(`\`${scenario.expectedFinding}\``);
      for (const section of [
        '## Summary',
        '## What was checked',
        '## Findings',
        '## Credentials found',
        '## Live checks',
        '## Environment',
        '## For support',
      ])
        expect(md).toContain(section);
      // Every live answer that came from the API carries its request id into the report.
      expect(md).toMatch(/req_[A-Za-z0-9]{8,}/);
      expect(md).toMatch(/curl -sS/);
      expect(md).not.toMatch(CREDENTIAL_SHAPED);
      expect(r.stdout + r.stderr).not.toMatch(CREDENTIAL_SHAPED);
      expect(await secretlintMessages(md, `${scenario.name}.md`)).toEqual([]);
      if (scenario.expectedFinding === 'key.invalid') expect(md).toContain('## Rotation guide');
    },
  );
});
