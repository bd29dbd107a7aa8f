// --strict end to end: the BUILT `check --json` against the emulator, once without and once with
// --strict, on the same setup: a key the API accepts, and one warning (ANTHROPIC_BASE_URL names
// another host). Without --strict that is `ok` (exit 0); with it the warning counts as an error.
import { describe, expect, it } from 'vitest';
import { emulatorKey } from '../../source/emulator/index.js';
import { requireBuild } from '../helpers/cli.js';
import { box, check, describeRun, emulator, EXIT, expectNoLeak, findingOf } from './check-harness.js';

requireBuild();

describe('check --strict (built CLI, emulator)', () => {
  it('a warning is a problem with --strict (exit 1) and not without it (exit 0)', async () => {
    const k = emulatorKey();
    const emu = await emulator({ keys: [k] });
    // A base URL that answers (a dead one is an error since issue 17, and would need DNS).
    const gateway = await emulator({ keys: [k] });
    const env = { ANTHROPIC_API_KEY: k.value, ANTHROPIC_BASE_URL: gateway.url };
    const args = ['--api-url', emu.url, '--client', 'claude-code'];

    const lax = await check(box(), args, env);
    expect(lax.code, describeRun(lax)).toBe(EXIT.ok);
    expect(lax.json.verdict).toBe('ok');
    expect(findingOf(lax, 'endpoint.base_url').severity).toBe('warning');
    expect(
      lax.json.findings.filter((f) => f.severity === 'error'),
      describeRun(lax),
    ).toEqual([]);

    const strict = await check(box(), [...args, '--strict'], env);
    expect(strict.code, describeRun(strict)).toBe(EXIT.problem);
    expect(strict.json.verdict).toBe('problem');
    expect(findingOf(strict, 'endpoint.base_url').severity).toBe('error');
    expect(strict.json.steps.find((s) => s.id === 'provider')?.status).toBe('fail');
    // The same live answers: only the reading changed.
    expect(strict.json.probes.map((p) => p.status)).toEqual(lax.json.probes.map((p) => p.status));
    expectNoLeak(lax, k.value);
    expectNoLeak(strict, k.value);
  });
});
