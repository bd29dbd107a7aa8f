// Issue 22 end to end: the built CLI's `check --json` against the emulator. Probes that do not
// depend on each other are in flight together, the connections are kept alive, and the process
// leaves no socket behind: it closes every connection itself when the verdict is in.
import { describe, expect, it } from 'vitest';
import { PREFERRED_MODEL } from '../../source/core/api.js';
import { DEFAULT_MODELS, emulatorKey } from '../../source/emulator/index.js';
import { box, check, emulator } from './check-harness.js';

describe('check on the network', () => {
  it('probes two credentials at once, each first look in flight together', async () => {
    const k1 = emulatorKey();
    const k2 = emulatorKey();
    // Each answer is held 150 ms: probes sent together are seen in flight together.
    const emu = await emulator({ keys: [k1, k2], answerDelayMs: 150 });
    const r = await check(box(), ['--api-url', emu.url], {
      ANTHROPIC_API_KEY: k1.value,
      ANTHROPIC_AUTH_TOKEN: k2.value,
    });
    const firstLooks = r.json.probes.filter((p) => p.purpose === 'models');
    expect(firstLooks.length).toBeGreaterThanOrEqual(2);
    expect(emu.traffic().maxInFlight).toBeGreaterThanOrEqual(2);
  });

  it('one credential: its first look and count_tokens go out together, and nothing more is needed', async () => {
    const k = emulatorKey();
    // Each answer is held 150 ms: requests sent together are seen in flight together.
    const emu = await emulator({ keys: [k], answerDelayMs: 150 });
    const r = await check(box(), ['--api-url', emu.url, '--client', 'curl'], { ANTHROPIC_API_KEY: k.value });
    expect(r.code).toBe(0);
    // count_tokens was sent ahead, on the preferred model the key then listed: one round in all.
    expect(emu.requests.map((q) => `${q.method} ${q.path}`)).toEqual(
      expect.arrayContaining(['GET /v1/models', 'POST /v1/messages/count_tokens']),
    );
    expect(emu.requests.length).toBe(2);
    expect(emu.traffic()).toMatchObject({ maxInFlight: 2, connections: 2 });
    expect(r.json.probes.map((p) => [p.purpose, p.status, p.unused ?? false])).toEqual([
      ['models', 200, false],
      ['count_tokens', 200, false],
    ]);
  });

  it('a key that does not list the preferred model: count_tokens again on a kept-alive connection', async () => {
    const k = emulatorKey();
    const models = DEFAULT_MODELS.filter((m) => m.id !== PREFERRED_MODEL).map((m) => ({ ...m }));
    const emu = await emulator({ keys: [k], models, answerDelayMs: 20 });
    const r = await check(box(), ['--api-url', emu.url, '--client', 'curl'], { ANTHROPIC_API_KEY: k.value });
    expect(r.code).toBe(0);
    // The guess answered 404 and decided nothing (no scope.model); the listed model answered 200.
    expect(r.json.findings.map((f) => f.id)).not.toContain('scope.model');
    expect(r.json.probes.map((p) => [p.purpose, p.status, p.unused ?? false])).toEqual([
      ['models', 200, false],
      ['count_tokens', 200, false],
      ['count_tokens', 404, true],
    ]);
    // Three requests, two connections: the third went out on one kept alive.
    expect(emu.requests.length).toBe(3);
    expect(emu.traffic()).toMatchObject({ maxInFlight: 2, connections: 2 });
  });

  it('closes its kept-alive connections itself at the verdict: the server idle timer never fires', async () => {
    const k = emulatorKey();
    // A server that would keep an idle connection for a minute.
    const emu = await emulator({ keys: [k], keepAliveTimeoutMs: 60_000 });
    const r = await check(box(), ['--api-url', emu.url, '--client', 'curl'], { ANTHROPIC_API_KEY: k.value });
    expect(r.code).toBe(0);
    const { connections } = emu.traffic();
    expect(connections).toBeGreaterThanOrEqual(1);
    await emu.connectionsClosed(connections);
    expect(emu.traffic()).toMatchObject({ closedByClient: connections, closedByServer: 0 });
  });
});
