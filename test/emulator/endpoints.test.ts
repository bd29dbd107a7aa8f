// Contract: the zero-token endpoints, model access and organization state (fact sheet §2–§3).
import { describe, expect, it } from 'vitest';
import { emulatorKey, DEFAULT_MODELS, DEFAULT_ORG_ID, type EmulatorOrg } from '../../source/emulator/index.js';
import { call, countBody, expectAnthropicError, start, V } from './helpers.js';

const withKey = (value: string) => ({ ...V, 'x-api-key': value });

describe('GET /v1/models', () => {
  it('lists the models newest first with paging fields and full ModelInfo', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key] });
    const a = await call(emu, '/v1/models', { headers: withKey(key.value) });
    expect(a.status).toBe(200);
    expect(Object.keys(a.json).sort()).toEqual(['data', 'first_id', 'has_more', 'last_id']);
    const dates = a.json.data.map((m: { created_at: string }) => Date.parse(m.created_at));
    expect(dates).toEqual([...dates].sort((x, y) => y - x));
    expect(a.json.data[0]).toEqual({
      type: 'model',
      id: 'claude-haiku-4-5-20251001',
      display_name: 'Claude Haiku 4.5',
      created_at: '2025-10-01T00:00:00Z',
      max_input_tokens: 200000,
      max_tokens: 64000,
      capabilities: null,
    });
    expect(a.json).toMatchObject({ has_more: false, first_id: a.json.data[0].id, last_id: a.json.data.at(-1).id });
  });

  it('pages with limit, after_id and before_id', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key] });
    const ids = DEFAULT_MODELS.map((m) => m.id); // already newest first
    const p1 = await call(emu, '/v1/models?limit=2', { headers: withKey(key.value) });
    expect(p1.json.data.map((m: { id: string }) => m.id)).toEqual(ids.slice(0, 2));
    expect(p1.json.has_more).toBe(true);
    const p2 = await call(emu, `/v1/models?limit=2&after_id=${p1.json.last_id}`, { headers: withKey(key.value) });
    expect(p2.json.data.map((m: { id: string }) => m.id)).toEqual(ids.slice(2, 4));
    expect(p2.json.has_more).toBe(false);
    const back = await call(emu, `/v1/models?limit=1&before_id=${p2.json.first_id}`, { headers: withKey(key.value) });
    expect(back.json.data.map((m: { id: string }) => m.id)).toEqual([ids[1]]);
    expect(back.json.has_more).toBe(true);
  });

  it.each(['0', '1001', 'x'])('limit=%s is a 400', async (limit) => {
    const key = emulatorKey();
    const emu = await start({ keys: [key] });
    const a = await call(emu, `/v1/models?limit=${limit}`, { headers: withKey(key.value) });
    expect(a.status).toBe(400);
    expect(a.json.error.type).toBe('invalid_request_error');
  });

  it('lists only the models a restricted key may use', async () => {
    const key = emulatorKey({ models: ['claude-haiku-4-5'] });
    const emu = await start({ keys: [key] });
    const a = await call(emu, '/v1/models', { headers: withKey(key.value) });
    expect(a.json.data.map((m: { id: string }) => m.id)).toEqual(['claude-haiku-4-5-20251001']);
  });
});

describe('GET /v1/models/{id}', () => {
  it('resolves an exact id and an alias', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key] });
    const exact = await call(emu, '/v1/models/claude-opus-4-1-20250805', { headers: withKey(key.value) });
    expect(exact.json.id).toBe('claude-opus-4-1-20250805');
    const alias = await call(emu, '/v1/models/claude-sonnet-4-5', { headers: withKey(key.value) });
    expect(alias.status).toBe(200);
    expect(alias.json.id).toBe('claude-sonnet-4-5-20250929');
  });

  it('an unknown model, or one the key may not use → 404 model: <id>, after authentication', async () => {
    const key = emulatorKey({ models: ['claude-haiku-4-5'] });
    const emu = await start({ keys: [key] });
    const unknown = await call(emu, '/v1/models/claude-3-5-sonnet-latest', { headers: withKey(key.value) });
    expectAnthropicError(unknown, 404, 'not_found_error', 'model: claude-3-5-sonnet-latest');
    expect(unknown.headers['anthropic-organization-id']).toBe(DEFAULT_ORG_ID);
    const denied = await call(emu, '/v1/models/claude-opus-4-1', { headers: withKey(key.value) });
    expectAnthropicError(denied, 404, 'not_found_error', 'model: claude-opus-4-1');
  });
});

describe('odd input', () => {
  it('a malformed %-escape in a model id is a 404 for that id, not a crash', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key] });
    const a = await call(emu, '/v1/models/claude%E0%A4%A', { headers: withKey(key.value) });
    expectAnthropicError(a, 404, 'not_found_error', 'model: claude%E0%A4%A');
    expect((await call(emu, '/v1/models', { headers: withKey(key.value) })).status).toBe(200);
  });
});

describe('POST /v1/messages/count_tokens and /v1/messages', () => {
  it('counts tokens from the text length', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key] });
    const post = (text: string) =>
      call(emu, '/v1/messages/count_tokens', {
        method: 'POST',
        headers: withKey(key.value),
        body: countBody('claude-sonnet-4-5', text),
      });
    const short = await post('Hi');
    const long = await post('x'.repeat(4000));
    expect(short.status).toBe(200);
    expect(Object.keys(short.json)).toEqual(['input_tokens']);
    expect(long.json.input_tokens).toBe(1000);
    expect(short.json.input_tokens).toBeLessThan(long.json.input_tokens);
    expect(long.headers['anthropic-workspace-id']).toMatch(/^wrkspc_/);
  });

  it('an unknown model in the body → 404', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key] });
    const a = await call(emu, '/v1/messages/count_tokens', {
      method: 'POST',
      headers: withKey(key.value),
      body: countBody('claude-nope'),
    });
    expectAnthropicError(a, 404, 'not_found_error', 'model: claude-nope');
  });

  it('bad bodies are 400 invalid_request_error', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key] });
    for (const body of ['{', '[]', '{"messages":[]}', '{"model":"claude-sonnet-4-5"}']) {
      const a = await call(emu, '/v1/messages/count_tokens', { method: 'POST', headers: withKey(key.value), body });
      expect(a.status, body).toBe(400);
      expect(a.json.error.type).toBe('invalid_request_error');
    }
  });

  it('POST /v1/messages answers a minimal valid message', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key] });
    const a = await call(emu, '/v1/messages', {
      method: 'POST',
      headers: withKey(key.value),
      body: JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5-20251001',
      stop_reason: 'end_turn',
    });
    expect(a.json.id).toMatch(/^msg_/);
    expect(a.json.content[0].type).toBe('text');
  });
});

describe('organization state shows on inference only', () => {
  const cases: [string, Partial<EmulatorOrg>, string][] = [
    ['disabled', { disabled: true }, 'This organization has been disabled.'],
    [
      'out of credit',
      { creditExhausted: true },
      'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade ' +
        'or purchase credits.',
    ],
  ];
  it.each(cases)('%s: /v1/models is 200, count_tokens and messages are 400', async (_name, state, message) => {
    const key = emulatorKey();
    const emu = await start({ keys: [key], orgs: [{ id: DEFAULT_ORG_ID, name: 'Emulated Org', ...state }] });
    expect((await call(emu, '/v1/models', { headers: withKey(key.value) })).status).toBe(200);
    for (const path of ['/v1/messages/count_tokens', '/v1/messages']) {
      const a = await call(emu, path, { method: 'POST', headers: withKey(key.value), body: countBody() });
      expectAnthropicError(a, 400, 'invalid_request_error', message);
      expect(a.headers['anthropic-organization-id']).toBe(DEFAULT_ORG_ID);
    }
  });

  it('spend limit reached names the first day of next month', async () => {
    const key = emulatorKey();
    const emu = await start({
      keys: [key],
      orgs: [{ id: DEFAULT_ORG_ID, name: 'O', spendLimitReached: true }],
      now: () => Date.parse('2026-11-23T10:00:00Z'),
    });
    const a = await call(emu, '/v1/messages/count_tokens', {
      method: 'POST',
      headers: withKey(key.value),
      body: countBody(),
    });
    expectAnthropicError(
      a,
      400,
      'invalid_request_error',
      'You have reached your specified API usage limits. You will regain access on 2026-12-01 at 00:00 UTC.',
    );
  });

  it('state can change while the emulator runs (config is live)', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key] });
    const post = () =>
      call(emu, '/v1/messages/count_tokens', { method: 'POST', headers: withKey(key.value), body: countBody() });
    expect((await post()).status).toBe(200);
    emu.config.orgs![0]!.creditExhausted = true;
    expect((await post()).status).toBe(400);
    emu.config.keys![0]!.status = 'inactive';
    expect((await post()).status).toBe(401);
  });
});
