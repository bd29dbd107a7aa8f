// Step 6, provider: where the requests really go.
import { describe, expect, it } from 'vitest';
import { baseUrlOddities, start } from '../../../source/core/machine.js';
import { fakeKey } from '../../../source/emulator/keys.js';
import { options } from '../../helpers/discovery.js';
import { feed, ids, input, nextProbe } from '../../helpers/machine.js';

describe('provider', () => {
  it('Claude Code set to Bedrock: provider.bedrock, a warning unless the person wants the Anthropic API', () => {
    const env = { ANTHROPIC_API_KEY: fakeKey('api'), CLAUDE_CODE_USE_BEDROCK: '1' };
    const s = start(input({ env, options: options({ client: 'claude-code', network: false }) }));
    expect(s.findings.find((f) => f.id === 'provider.bedrock')?.severity).toBe('warning');
    const wanted = start(
      input({ env, answers: { provider: 'anthropic' }, options: options({ client: 'claude-code', network: false }) }),
    );
    expect(wanted.findings.find((f) => f.id === 'provider.bedrock')?.severity).toBe('error');
  });

  it('a base URL ending in /v1 is broken: endpoint.base_url error', () => {
    const env = { ANTHROPIC_API_KEY: fakeKey('api'), ANTHROPIC_BASE_URL: 'https://gateway.example/v1' };
    const s = start(input({ env, options: options({ client: 'claude-code', network: false }) }));
    const f = s.findings.find((x) => x.id === 'endpoint.base_url');
    expect(f?.severity).toBe('error');
    expect(f?.detail).toMatch(/ends in \/v1/);
  });

  it('with consent the base URL the client would use is probed, and its answer classified', () => {
    const env = { ANTHROPIC_API_KEY: fakeKey('api'), ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/' };
    let s = start(input({ env, options: options({ client: 'claude-code', probeBaseUrl: true }) }));
    while (nextProbe(s) && nextProbe(s)!.request.purpose !== 'base_url') s = feed(s, 200);
    expect(nextProbe(s)?.request.url).toBe('http://127.0.0.1:9/v1/models?limit=1');
    s = feed(s, 401, 'no such token', { requestId: null, anthropicEnvelope: false });
    expect(ids(s)).toContain('endpoint.gateway_response');
    expect(s.pending.type).toBe('done');
  });

  it('baseUrlOddities names each way a base URL is broken', () => {
    expect(baseUrlOddities('https://api.anthropic.com')).toEqual([]);
    expect(baseUrlOddities(' https://x.example')).toEqual(['Broken: the value has spaces or a line break around it.']);
    expect(baseUrlOddities('not a url')).toEqual(['Broken: it is not a URL.']);
    expect(baseUrlOddities('http://0.0.0.0:8080')[0]).toMatch(/listen address/);
    expect(baseUrlOddities('http://gw.example')).toEqual([
      'It uses plain http:// to a remote host: the key travels unencrypted.',
    ]);
  });

  it('a client that expects /v1 in the base (@ai-sdk/anthropic, core/clients.ts) is judged by its own rule', () => {
    expect(baseUrlOddities('https://gw.example/v1', '/…')).toEqual([]);
    expect(baseUrlOddities('https://api.anthropic.com', '/…')).toEqual([]); // it adds /v1 to exactly this one
    expect(baseUrlOddities('https://gw.example/', '/…', '@ai-sdk/anthropic 3.0.140')).toEqual([
      'Broken: @ai-sdk/anthropic 3.0.140 takes it as ending in /v1 and appends /messages, so requests go to ' +
        'https://gw.example/messages; add /v1.',
    ]);
    expect(baseUrlOddities('https://gw.example/v1')[0]).toMatch(/\/v1\/v1/);
  });
});
