// Contract: gateway modes — answers that do NOT come from Anthropic, and pass-through.
import { describe, expect, it } from 'vitest';
import { emulatorKey, type EmulatorMode } from '../../source/emulator/index.js';
import { call, expectAnthropicError, start, V, V2026 } from './helpers.js';

async function gateway(mode: EmulatorMode) {
  const key = emulatorKey();
  const emu = await start({ keys: [key], mode });
  return { emu, key };
}

const notAnthropic = (a: { headers: Record<string, string | undefined> }) => {
  expect(a.headers['request-id']).toBeUndefined();
  expect(a.headers['anthropic-organization-id']).toBeUndefined();
};

describe('gateway modes', () => {
  it('gateway-x-api-key-only: Bearer alone gets the gateway 401; x-api-key is passed through', async () => {
    const { emu, key } = await gateway('gateway-x-api-key-only');
    const a = await call(emu, '/v1/models', { headers: { ...V2026, authorization: `Bearer ${key.value}` } });
    expect(a.status).toBe(401);
    expect(a.text).toBe(
      '{"error":{"message":"Missing x-api-key","type":"invalid_request_error","code":"missing_api_key"}}',
    );
    expect(a.headers['content-type']).toBe('application/json');
    notAnthropic(a);
    const ok = await call(emu, '/v1/models', { headers: { ...V, 'x-api-key': key.value } });
    expect(ok.status).toBe(200);
    expect(ok.headers['request-id']).toMatch(/^req_/); // upstream headers kept
    const bad = await call(emu, '/v1/models', { headers: { ...V, 'x-api-key': 'wrong' } });
    expectAnthropicError(bad, 401, 'authentication_error', 'invalid x-api-key');
  });

  it('gateway-authorization-only: x-api-key alone gets the gateway 401; Authorization is passed through', async () => {
    const { emu, key } = await gateway('gateway-authorization-only');
    const a = await call(emu, '/v1/models', { headers: { ...V, 'x-api-key': key.value } });
    expect(a.status).toBe(401);
    expect(a.json).toEqual({
      error: { message: 'Missing Authorization header', type: 'invalid_request_error', code: 'missing_authorization' },
    });
    notAnthropic(a);
    expect(
      (await call(emu, '/v1/models', { headers: { ...V2026, authorization: `Bearer ${key.value}` } })).status,
    ).toBe(200);
  });

  it('gateway-plain-text: 404 page not found, text/plain, whatever is sent', async () => {
    const { emu, key } = await gateway('gateway-plain-text');
    const a = await call(emu, '/v1/models', { headers: { ...V, 'x-api-key': key.value } });
    expect(a.status).toBe(404);
    expect(a.text).toBe('404 page not found');
    expect(a.headers['content-type']).toMatch(/^text\/plain/);
    notAnthropic(a);
  });

  it('gateway-openai: an OpenAI-style 401 for everything', async () => {
    const { emu, key } = await gateway('gateway-openai');
    for (const headers of [{ ...V, 'x-api-key': key.value }, { ...V2026, authorization: `Bearer ${key.value}` }, {}]) {
      const a = await call(emu, '/v1/models', { headers });
      expect(a.status).toBe(401);
      expect(Object.keys(a.json)).toEqual(['error']);
      expect(a.json.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
      expect(a.text).not.toContain(key.value.slice(13, 21)); // never echoes the key
      notAnthropic(a);
    }
  });

  it('strip-x-api-key-proxy: the API never sees the key', async () => {
    const { emu, key } = await gateway('strip-x-api-key-proxy');
    const a = await call(emu, '/v1/models', { headers: { ...V, 'x-api-key': key.value } });
    expectAnthropicError(a, 401, 'authentication_error', 'x-api-key header is required');
    // What arrived is recorded as sent; the stripping happens "downstream".
    expect(emu.requests[0]!.headers['x-api-key']).toBe(key.value);
  });

  it('faults apply in gateway modes too', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key], mode: 'gateway-openai', faults: [{ kind: 'html502', times: 1 }] });
    expect((await call(emu, '/v1/models')).status).toBe(502);
    expect((await call(emu, '/v1/models')).status).toBe(401);
  });
});
