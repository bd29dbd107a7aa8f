// Contract: fault modes, their matching and counting, and that close() never leaves a test hanging.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { emulatorKey, DEFAULT_ORG_ID } from '../../source/emulator/index.js';
import { call, countBody, expectAnthropicError, start, V } from './helpers.js';

const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
};

describe('faults apply before everything else', () => {
  it('hang: never answers; close() ends the socket and resolves', async () => {
    const emu = await start({ faults: [{ kind: 'hang' }] });
    const pending = call(emu, '/v1/models', { headers: V });
    await until(() => emu.requests.length === 1);
    await emu.close();
    await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('reset: the connection is destroyed', async () => {
    const emu = await start({ faults: [{ kind: 'reset' }] });
    await expect(call(emu, '/v1/models', { headers: V })).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('html502: an HTML page with no request-id (not from Anthropic)', async () => {
    const emu = await start({ faults: [{ kind: 'html502' }] });
    const a = await call(emu, '/v1/models');
    expect(a.status).toBe(502);
    expect(a.headers['content-type']).toBe('text/html');
    expect(a.text).toBe('<html><body><h1>502 Bad Gateway</h1></body></html>');
    expect(a.headers['request-id']).toBeUndefined();
  });

  it('overloaded: 529 Overloaded with x-should-retry: true', async () => {
    const emu = await start({ faults: [{ kind: 'overloaded' }] });
    const a = await call(emu, '/v1/models'); // no headers at all: the fault comes first
    expectAnthropicError(a, 529, 'overloaded_error', 'Overloaded');
    expect(a.headers['x-should-retry']).toBe('true');
  });

  it('rate_limited: 429 with retry-after and anthropic-ratelimit-* headers', async () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    const emu = await start({ faults: [{ kind: 'rate_limited', retryAfterSeconds: 7 }], now: () => now });
    const a = await call(emu, '/v1/models', { headers: V });
    expect(a.status).toBe(429);
    expect(a.json.error.type).toBe('rate_limit_error');
    expect(a.json.error.message).toContain(
      `This request would exceed the rate limit for your organization (${DEFAULT_ORG_ID})`,
    );
    expect(a.json.request_id).toBe(a.headers['request-id']);
    expect(a.headers['retry-after']).toBe('7');
    expect(a.headers['anthropic-ratelimit-requests-remaining']).toBe('0');
    expect(a.headers['anthropic-ratelimit-requests-reset']).toBe('2026-11-23T12:00:07.000Z');
  });

  it('spend_cap: 429 enforced_spend_limit_reached without retry-after', async () => {
    const emu = await start({ faults: [{ kind: 'spend_cap' }] });
    const a = await call(emu, '/v1/messages/count_tokens', { method: 'POST', headers: V, body: countBody() });
    expect(a.status).toBe(429);
    expect(a.json.error).toMatchObject({
      type: 'rate_limit_error',
      details: { error_code: 'enforced_spend_limit_reached' },
    });
    expect(a.json.error.message).toMatch(
      /^You have reached your API usage limits: your organization has crossed its monthly API usage threshold/,
    );
    expect(a.headers['retry-after']).toBeUndefined();
    expect(a.json.request_id).toBe(a.headers['request-id']);
  });

  it('request_not_allowed: 403 forbidden body without type or request_id', async () => {
    const emu = await start({ faults: [{ kind: 'request_not_allowed' }] });
    const a = await call(emu, '/v1/models', { headers: V });
    expect(a.status).toBe(403);
    expect(a.text).toBe('{"error":{"type":"forbidden","message":"Request not allowed"}}');
    expect(a.headers['content-type']).toBe('application/json');
  });

  it('server_error: 500 api_error', async () => {
    const emu = await start({ faults: [{ kind: 'server_error' }] });
    const a = await call(emu, '/v1/models', { headers: V });
    expectAnthropicError(a, 500, 'api_error', 'Internal server error');
  });

  it('trickle: the normal answer, delivered slowly in many pieces', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key], faults: [{ kind: 'trickle', bytesPerSecond: 2000 }] });
    const pieces: Buffer[] = [];
    const status = await new Promise<number>((resolve, reject) => {
      request(emu.url + '/v1/models', { headers: { ...V, 'x-api-key': key.value } }, (res) => {
        res.on('data', (c: Buffer) => pieces.push(c));
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
    const body = JSON.parse(Buffer.concat(pieces).toString('utf8'));
    expect(body.data.length).toBeGreaterThan(0);
    expect(pieces.length).toBeGreaterThan(2); // 200-byte slices of a ~900-byte answer
  });

  it('cut after headers: the normal status and headers arrive, then the body is cut short', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key], faults: [{ kind: 'cut', after: 'headers' }] });
    const seen: { status?: number; requestId?: string; error?: string; ended: boolean } = { ended: false };
    await new Promise<void>((resolve) => {
      request(emu.url + '/v1/models', { headers: { ...V, 'x-api-key': key.value } }, (res) => {
        seen.status = res.statusCode;
        seen.requestId = res.headers['request-id'] as string;
        res.on('data', () => {});
        res.on('end', () => ((seen.ended = true), resolve()));
        res.on('error', (e) => ((seen.error = e.message), resolve()));
        res.on('aborted', () => ((seen.error ??= 'aborted'), resolve()));
      })
        .on('error', (e) => ((seen.error = e.message), resolve()))
        .end();
    });
    expect(seen.status).toBe(200);
    expect(seen.requestId).toMatch(/^req_/);
    expect(seen.ended).toBe(false);
    expect(seen.error).toBeDefined();
  });

  it('cut after the status line: no headers, the request fails', async () => {
    const key = emulatorKey();
    const emu = await start({ keys: [key], faults: [{ kind: 'cut', after: 'status' }] });
    await expect(call(emu, '/v1/models', { headers: { ...V, 'x-api-key': key.value } })).rejects.toThrow();
    expect(emu.requests).toHaveLength(1);
  });

  it('trickle: close() mid-answer stops it', async () => {
    const emu = await start({ faults: [{ kind: 'trickle', bytesPerSecond: 10 }] });
    const pending = call(emu, '/v1/models', { headers: V });
    await until(() => emu.requests.length === 1);
    await emu.close();
    await expect(pending).rejects.toThrow();
  });
});

describe('fault matching', () => {
  it('matches method and path prefix, and counts down times', async () => {
    const key = emulatorKey();
    const emu = await start({
      keys: [key],
      faults: [{ kind: 'server_error', match: { method: 'post', path: '/v1/messages' }, times: 1 }],
    });
    const h = { ...V, 'x-api-key': key.value };
    expect((await call(emu, '/v1/models', { headers: h })).status).toBe(200);
    expect(
      (await call(emu, '/v1/messages/count_tokens', { method: 'POST', headers: h, body: countBody() })).status,
    ).toBe(500);
    expect(
      (await call(emu, '/v1/messages/count_tokens', { method: 'POST', headers: h, body: countBody() })).status,
    ).toBe(200);
  });

  it('addFault and clearFaults change the running emulator; the first match wins', async () => {
    const emu = await start();
    emu.addFault({ kind: 'overloaded', times: 1 });
    emu.addFault({ kind: 'html502' });
    expect((await call(emu, '/v1/models')).status).toBe(529);
    expect((await call(emu, '/v1/models')).status).toBe(502);
    emu.clearFaults();
    expect((await call(emu, '/v1/models')).status).toBe(400); // no anthropic-version
    expect(emu.requests).toHaveLength(3);
  });

  it('a fault given in the config is copied, so its count is per emulator', async () => {
    const fault = { kind: 'server_error' as const, times: 1 };
    const a = await start({ faults: [fault] });
    const b = await start({ faults: [fault] });
    expect((await call(a, '/v1/models')).status).toBe(500);
    expect((await call(b, '/v1/models')).status).toBe(500);
    expect(fault.times).toBe(1);
  });
});
