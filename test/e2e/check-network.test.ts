// Issue 22 end to end: the built CLI's `check --json` against the emulator. Probes that do not
// depend on each other are in flight together, the connections are kept alive, and the process
// leaves no socket behind: it closes every connection itself when the verdict is in.
import { describe, expect, it } from 'vitest';
import { emulatorKey } from '../../source/emulator/index.js';
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

  it('probes one credential one request at a time, kept alive on one connection', async () => {
    const k = emulatorKey();
    const emu = await emulator({ keys: [k], answerDelayMs: 20 });
    const r = await check(box(), ['--api-url', emu.url, '--client', 'curl'], { ANTHROPIC_API_KEY: k.value });
    expect(r.code).toBe(0);
    expect(emu.requests.length).toBeGreaterThanOrEqual(2);
    // models, then count_tokens with the model it listed: dependent, so one after the other.
    expect(emu.traffic()).toMatchObject({ maxInFlight: 1, connections: 1 });
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
