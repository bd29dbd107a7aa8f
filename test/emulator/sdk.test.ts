// The emulator against the real clients: @anthropic-ai/sdk 1.x and 0.x (npm alias anthropic-sdk-0x).
// Class names checked in node_modules/*/core/error.d.ts: both export AuthenticationError,
// BadRequestError, PermissionDeniedError, NotFoundError, InternalServerError; only 1.x exports
// OverloadedError (a subclass of InternalServerError).
import Anthropic from '@anthropic-ai/sdk';
import Anthropic0 from 'anthropic-sdk-0x';
import { describe, expect, it } from 'vitest';
import { emulatorKey, DEFAULT_ORG_ID, type Emulator } from '../../source/emulator/index.js';
import * as M from '../../source/emulator/messages.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { start } from './helpers.js';

const params = { model: 'claude-sonnet-4-5', messages: [{ role: 'user' as const, content: 'Hello' }] };

const v1 = (emu: Emulator, apiKey: string) => new Anthropic({ apiKey, baseURL: emu.url, maxRetries: 0 });
const v0 = (emu: Emulator, creds: { apiKey?: string | null; authToken?: string | null }) =>
  new Anthropic0({ apiKey: null, authToken: null, ...creds, baseURL: emu.url, maxRetries: 0 });

/** The rejection of `p`, which must be an instance of `cls`. */
async function rejection<T>(p: Promise<unknown>, cls: abstract new (...args: never[]) => T): Promise<T> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(cls);
  return err as T;
}

describe('@anthropic-ai/sdk 1.x', () => {
  it('sends the key as Bearer with 2026-10-21, which the API accepts', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key] });
    const client = v1(emu, key.value);
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toContain('claude-sonnet-4-5-20250929');
    const count = await client.messages.countTokens(params);
    expect(count.input_tokens).toBeGreaterThan(0);
    for (const r of emu.requests) {
      expect(r.headers['authorization']).toBe(`Bearer ${key.value}`);
      expect(r.headers['anthropic-version']).toBe('2026-10-21');
      expect(r.headers['x-api-key']).toBeUndefined();
    }
    expect(emu.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/models',
      'POST /v1/messages/count_tokens',
    ]);
  });

  it('an invalid key → AuthenticationError with the type, message and request id', async () => {
    const emu = await start();
    const err = await rejection(v1(emu, fakeKey('api')).models.list(), Anthropic.AuthenticationError);
    expect(err.status).toBe(401);
    expect(err.type).toBe('authentication_error');
    expect(err.apiMessage).toBe(M.BEARER_KEY_REJECTED.message);
    expect(err.requestID).toMatch(/^req_[A-Za-z0-9]{24}$/);
    expect(err.requestID).toBe((err.error as { request_id: string }).request_id);
    expect(err.headers.get('anthropic-organization-id')).toBeNull();
  });

  it('errors by status: credit 400, 403, unknown model 404, overloaded 529', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key], orgs: [{ id: DEFAULT_ORG_ID, name: 'O', creditExhausted: true }] });
    const client = v1(emu, key.value);
    const credit = await rejection(client.messages.countTokens(params), Anthropic.BadRequestError);
    expect(credit.apiMessage).toMatch(/^Your credit balance is too low/);
    expect(credit.workspaceID).toMatch(/^wrkspc_/);
    await rejection(client.models.retrieve('claude-nope'), Anthropic.NotFoundError);
    emu.addFault({ kind: 'request_not_allowed', times: 1 });
    const forbidden = await rejection(client.models.list(), Anthropic.PermissionDeniedError);
    expect(forbidden.status).toBe(403);
    emu.addFault({ kind: 'overloaded', times: 1 });
    const overloaded = await rejection(client.models.list(), Anthropic.OverloadedError);
    expect(overloaded).toBeInstanceOf(Anthropic.InternalServerError);
    expect(overloaded.status).toBe(529);
  });
});

describe('@anthropic-ai/sdk 0.x', () => {
  it('sends x-api-key with 2023-06-01', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key] });
    const client = v0(emu, { apiKey: key.value });
    expect((await client.models.list()).data.length).toBeGreaterThan(0);
    expect((await client.messages.countTokens(params)).input_tokens).toBeGreaterThan(0);
    for (const r of emu.requests) {
      expect(r.headers['x-api-key']).toBe(key.value);
      expect(r.headers['anthropic-version']).toBe('2023-06-01');
      expect(r.headers['authorization']).toBeUndefined();
    }
  });

  it('an invalid key → AuthenticationError "invalid x-api-key", message in the Claude Code form', async () => {
    const emu = await start();
    const err = await rejection(v0(emu, { apiKey: fakeKey('api') }).models.list(), Anthropic0.AuthenticationError);
    expect(err.status).toBe(401);
    expect(err.type).toBe('authentication_error');
    expect((err.error as { error: { message: string } }).error.message).toBe('invalid x-api-key');
    expect(err.requestID).toBe((err.error as { request_id: string }).request_id);
    expect(err.message).toBe(
      `401 {"type":"error","error":{"type":"authentication_error","message":"invalid ` +
        `x-api-key"},"request_id":"${err.requestID}"}`,
    );
  });

  it('authToken set to an API key → Invalid bearer token', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key] });
    const err = await rejection(v0(emu, { authToken: key.value }).models.list(), Anthropic0.AuthenticationError);
    expect((err.error as { error: { message: string } }).error.message).toBe('Invalid bearer token');
    expect(emu.requests[0]!.headers['authorization']).toBe(`Bearer ${key.value}`);
  });

  it('an OAuth token via authToken carries no beta → not supported; with the beta it works', async () => {
    const oat = fakeKey('oat');
    const emu = await start({ oauthTokens: [{ value: oat, orgId: DEFAULT_ORG_ID }] });
    const err = await rejection(v0(emu, { authToken: oat }).models.list(), Anthropic0.AuthenticationError);
    expect((err.error as { error: { message: string } }).error.message).toBe(
      'OAuth authentication is currently not supported.',
    );
    expect(emu.requests[0]!.headers['anthropic-beta']).toBeUndefined();
    const withBeta = new Anthropic0({
      apiKey: null,
      authToken: oat,
      baseURL: emu.url,
      maxRetries: 0,
      defaultHeaders: { 'anthropic-beta': 'oauth-2025-04-20' },
    });
    expect((await withBeta.models.list()).data.length).toBeGreaterThan(0);
  });

  it('errors by status: credit 400, 403, unknown model 404, overloaded 529', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key], orgs: [{ id: DEFAULT_ORG_ID, name: 'O', creditExhausted: true }] });
    const client = v0(emu, { apiKey: key.value });
    await rejection(client.messages.countTokens(params), Anthropic0.BadRequestError);
    // org state first
    await rejection(client.messages.countTokens({ ...params, model: 'claude-nope' }), Anthropic0.BadRequestError);
    await rejection(client.models.retrieve('claude-nope'), Anthropic0.NotFoundError);
    emu.addFault({ kind: 'request_not_allowed', times: 1 });
    await rejection(client.models.list(), Anthropic0.PermissionDeniedError);
    emu.addFault({ kind: 'overloaded', times: 1 });
    const overloaded = await rejection(client.models.list(), Anthropic0.InternalServerError);
    expect(overloaded.status).toBe(529);
    expect(overloaded.headers.get('x-should-retry')).toBe('true');
  });
});
