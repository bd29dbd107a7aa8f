import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classify,
  classifyAnswer,
  isAnthropicAnswer,
  isTransient,
  MESSAGES,
  parsePastedError,
  type ClassifyContext,
} from '../../source/core/classify.js';
import { isFindingId } from '../../source/core/findings.js';
import type { NetworkErrorKind, PastedError, ProbeResult } from '../../source/core/types.js';
import { fakeKey } from '../../source/emulator/keys.js';

const REQ = 'req_011CSHoEeqs5C35K2U' + 'Test0001';

function ctx(over: Partial<ClassifyContext> = {}): ClassifyContext {
  return { sentAs: 'x-api-key', credentialKind: 'api_key', anthropicVersion: '2023-06-01', oauthBeta: false, ...over };
}

interface LiveSpec {
  status: number | null;
  type?: string;
  message?: string;
  /** Anthropic envelope with request id (default), the edge shape, or a raw foreign body. */
  shape?: 'anthropic' | 'edge' | 'raw';
  body?: string;
  code?: string;
  retryAfter?: number;
  purpose?: ProbeResult['purpose'];
  network?: ProbeResult['network'];
}

/** A ProbeResult as io/probe.ts fills it for such an answer. */
function live(spec: LiveSpec): ProbeResult {
  const shape = spec.shape ?? 'anthropic';
  const envelope = {
    type: 'error',
    error: { type: spec.type, message: spec.message, ...(spec.code ? { details: { error_code: spec.code } } : {}) },
    request_id: REQ,
  };
  const body =
    spec.body ??
    (shape === 'anthropic'
      ? JSON.stringify(envelope)
      : JSON.stringify({ error: { type: spec.type, message: spec.message } }));
  return {
    method: 'GET',
    url: 'https://api.anthropic.com/v1/models',
    purpose: spec.purpose ?? 'models',
    status: spec.status,
    requestId: shape === 'anthropic' ? REQ : null,
    errorType: spec.type ?? null,
    errorMessage: spec.message ?? null,
    errorCode: spec.code ?? null,
    organizationId: null,
    workspaceId: null,
    bodySnippet: spec.status === null ? '' : body,
    contentType: 'application/json',
    anthropicEnvelope: shape === 'anthropic',
    retryAfterSeconds: spec.retryAfter ?? null,
    network: spec.network ?? null,
    ms: 120,
    attempts: 1,
    at: '2026-11-23T10:00:00.000Z',
    sentAs: 'x-api-key',
    anthropicVersion: '2023-06-01',
    oauthBeta: false,
  };
}

const ids = (fs: { id: string }[]) => fs.map((f) => f.id);

describe('classifyAnswer: live answers from the API', () => {
  const cases: [string, LiveSpec, Partial<ClassifyContext>, string[], RegExp?][] = [
    ['200 is nothing', { status: 200 }, {}, []],
    [
      'any 2xx is nothing, whatever its body says',
      { status: 202, type: 'authentication_error', message: 'invalid x-api-key' },
      {},
      [],
    ],
    [
      'invalid x-api-key',
      { status: 401, type: 'authentication_error', message: 'invalid x-api-key' },
      {},
      ['key.invalid'],
    ],
    [
      'x-api-key required, key sent as Bearer',
      { status: 401, type: 'authentication_error', message: 'x-api-key header is required' },
      { sentAs: 'authorization' },
      ['header.bearer'],
    ],
    [
      'x-api-key required, nothing sent',
      { status: 401, type: 'authentication_error', message: 'x-api-key header is required' },
      { sentAs: 'none' },
      ['header.missing_key'],
    ],
    [
      'x-api-key required, x-api-key sent',
      { status: 401, type: 'authentication_error', message: 'x-api-key header is required' },
      { sentAs: 'x-api-key' },
      ['header.stripped'],
      /removed it/,
    ],
    [
      'Invalid bearer token, API key under 2023-06-01',
      { status: 401, type: 'authentication_error', message: 'Invalid bearer token' },
      { sentAs: 'authorization' },
      ['header.bearer'],
      /2023-06-01.*x-api-key.*@anthropic-ai\/sdk 1\.x.*2026-10-21/,
    ],
    [
      'Invalid bearer token, API key under 2026-10-21',
      { status: 401, type: 'authentication_error', message: 'Invalid bearer token' },
      { sentAs: 'authorization', anthropicVersion: '2026-10-21' },
      ['key.invalid'],
      /2026-10-21/,
    ],
    [
      'Invalid bearer token, OAuth token',
      { status: 401, type: 'authentication_error', message: 'Invalid bearer token' },
      { sentAs: 'authorization', credentialKind: 'oauth_access' },
      ['key.invalid'],
      /oauth_access/,
    ],
    [
      'Invalid bearer token, both headers',
      { status: 401, type: 'authentication_error', message: 'Invalid bearer token' },
      { sentAs: 'both' },
      ['header.both'],
    ],
    [
      'OAuth without the beta',
      { status: 401, type: 'authentication_error', message: 'OAuth authentication is currently not supported.' },
      { sentAs: 'authorization', credentialKind: 'oauth_access' },
      ['header.oauth_beta'],
      /oauth-2025-04-20/,
    ],
    [
      'OAuth not allowed for the org (401)',
      {
        status: 401,
        type: 'authentication_error',
        message: 'OAuth authentication is currently not allowed for this organization.',
      },
      { credentialKind: 'oauth_access' },
      ['scope.permission'],
      /forbids OAuth/,
    ],
    [
      'OAuth not allowed for the org (403 error_code)',
      { status: 403, type: 'permission_error', message: 'Forbidden', code: 'oauth_not_allowed_for_organization' },
      { credentialKind: 'oauth_access' },
      ['scope.permission'],
      /forbids OAuth/,
    ],
    [
      'OAuth expired',
      {
        status: 401,
        type: 'authentication_error',
        message: 'OAuth token has expired. Please obtain a new token or refresh your existing token.',
      },
      { credentialKind: 'oauth_access' },
      ['oauth.expired'],
    ],
    [
      'Invalid OAuth token',
      {
        status: 401,
        type: 'authentication_error',
        message: 'Invalid OAuth token. The provided token was not found or is malformed.',
      },
      { credentialKind: 'oauth_access' },
      ['key.invalid'],
      /malformed/,
    ],
    [
      'OAuth revoked (403)',
      { status: 403, type: 'permission_error', message: 'OAuth token has been revoked. Please obtain a new token.' },
      { credentialKind: 'oauth_access' },
      ['key.invalid'],
      /revoked/,
    ],
    [
      'Invalid authentication credentials',
      { status: 401, type: 'authentication_error', message: 'Invalid authentication credentials' },
      {},
      ['key.invalid'],
      /revoked.*disabled.*removed your access/,
    ],
    [
      'subscription credential outside Claude Code',
      {
        status: 400,
        type: 'invalid_request_error',
        message:
          'This credential is only authorized for use with Claude Code and cannot be used for other API requests.',
      },
      { credentialKind: 'oauth_access' },
      ['auth.subscription_vs_api'],
    ],
    [
      'OAuth scope missing',
      { status: 403, type: 'permission_error', message: 'OAuth token does not meet scope requirement user:profile' },
      { credentialKind: 'oauth_access' },
      ['scope.permission'],
      /"user:profile"/,
    ],
    [
      'generic permission_error',
      { status: 403, type: 'permission_error', message: 'Permission denied' },
      {},
      ['scope.permission'],
    ],
    [
      '403 Request not allowed (edge)',
      { status: 403, type: 'forbidden', message: 'Request not allowed', shape: 'edge' },
      {},
      ['region.blocked'],
      /Pro\/Max.*role.*proxy.*region.*VPN/s,
    ],
    [
      'missing anthropic-version',
      { status: 400, type: 'invalid_request_error', message: 'anthropic-version: header is required' },
      { anthropicVersion: null },
      ['header.missing_version'],
      /no anthropic-version header was sent/,
    ],
    [
      'invalid anthropic-version',
      {
        status: 400,
        type: 'invalid_request_error',
        message: 'anthropic-version: "2023-06-01, 2023-06-01" is not a valid version',
      },
      {},
      ['header.missing_version'],
      /"2023-06-01, 2023-06-01"/,
    ],
    [
      'disabled organization',
      { status: 400, type: 'invalid_request_error', message: 'This organization has been disabled.' },
      {},
      ['org.disabled'],
    ],
    [
      'credit balance',
      {
        status: 400,
        type: 'invalid_request_error',
        message:
          'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      },
      {},
      ['billing.credit'],
    ],
    [
      'own spend limit',
      {
        status: 400,
        type: 'invalid_request_error',
        message: 'You have reached your specified API usage limits. You will regain access on 2026-12-01 at 00:00 UTC.',
      },
      {},
      ['billing.spend_limit'],
      /spend limit set in the Console/,
    ],
    [
      'workspace spend limit',
      {
        status: 400,
        type: 'invalid_request_error',
        message: 'You have reached your specified workspace API usage limits.',
      },
      {},
      ['billing.spend_limit'],
      /workspace spend limit/,
    ],
    [
      'monthly spend cap (429)',
      {
        status: 429,
        type: 'rate_limit_error',
        message:
          'You have reached your API usage limits: your organization has crossed its monthly API usage threshold, please contact sales.',
        code: 'enforced_spend_limit_reached',
      },
      {},
      ['billing.spend_limit'],
      /no retry-after/,
    ],
    [
      'rate limit',
      {
        status: 429,
        type: 'rate_limit_error',
        message: 'This request would exceed the rate limit for your organization of 50 requests per minute.',
        retryAfter: 7,
      },
      {},
      ['api.rate_limited'],
      /retry-after 7 s/,
    ],
    [
      'unknown model',
      { status: 404, type: 'not_found_error', message: 'model: claude-nope-1', purpose: 'model' },
      {},
      ['scope.model'],
      /"claude-nope-1"/,
    ],
    [
      '404 on GET /v1/models/{id} with another message',
      { status: 404, type: 'not_found_error', message: 'The requested resource could not be found.', purpose: 'model' },
      { model: 'claude-x' },
      ['scope.model'],
      /"claude-x"/,
    ],
    [
      'workspace id required',
      {
        status: 400,
        type: 'invalid_request_error',
        message: 'anthropic-workspace-id is required when authenticating with an identity-linked API key',
      },
      {},
      ['workspace.required'],
    ],
    [
      'not scoped to a workspace',
      {
        status: 400,
        type: 'invalid_request_error',
        message:
          'This API key is not scoped to a workspace, so this request must include the anthropic-workspace-id header',
      },
      {},
      ['workspace.required'],
    ],
    ['overloaded', { status: 529, type: 'overloaded_error', message: 'Overloaded' }, {}, ['api.overloaded']],
    ['server error', { status: 500, type: 'api_error', message: 'Internal server error' }, {}, ['api.server_error']],
    [
      'CORS without opt-in',
      {
        status: 401,
        type: 'authentication_error',
        message: "CORS requests must set 'anthropic-dangerous-direct-browser-access' header",
      },
      {},
      ['scope.permission'],
      /browser/,
    ],
    [
      'CORS forbidden by org',
      {
        status: 401,
        type: 'authentication_error',
        message: 'CORS requests are not allowed for this Organization because of its settings.',
      },
      {},
      ['scope.permission'],
      /forbid browser access/,
    ],
    [
      'unknown 401 message',
      { status: 401, type: 'authentication_error', message: 'something new' },
      {},
      ['key.invalid'],
      /does not know/,
    ],
  ];

  it.each(cases)('%s', (_name, spec, over, expected, detail) => {
    const found = classifyAnswer(live(spec), ctx(over));
    expect(ids(found)).toEqual(expected);
    for (const f of found) {
      expect(isFindingId(f.id)).toBe(true);
      if (spec.status !== null && spec.shape !== 'edge') expect(f.detail).toContain(REQ);
      if (spec.message) expect(f.detail).toContain(spec.message.slice(0, 40));
      expect(f.fix.length).toBeGreaterThan(0);
    }
    if (detail) expect(found[0]!.detail).toMatch(detail);
  });

  it('names the workspace header fix exactly', () => {
    const [f] = classifyAnswer(
      live({
        status: 400,
        type: 'invalid_request_error',
        message: 'anthropic-workspace-id is required when authenticating with an identity-linked API key',
      }),
      ctx(),
    );
    expect(f!.fix.join('\n')).toContain('ANTHROPIC_CUSTOM_HEADERS="anthropic-workspace-id: wrkspc_…"');
  });

  it('the disabled-org fix for Claude Code unsets the key', () => {
    const [f] = classifyAnswer(
      live({ status: 400, type: 'invalid_request_error', message: 'This organization has been disabled.' }),
      ctx({ client: 'claude-code' }),
    );
    expect(f!.fix[0]).toContain('unset ANTHROPIC_API_KEY');
  });
});

describe('classify: what an answer means (the typed Answer the steps switch on)', () => {
  it('recognises "invalid x-api-key" as a key the API does not know', () => {
    const c = classify(live({ status: 401, type: 'authentication_error', message: 'invalid x-api-key' }), ctx());
    expect(c.answer).toEqual({ kind: 'rejected', status: 401, reason: 'unknown_key' });
  });

  it('recognises the refused Bearer token and the missing OAuth beta', () => {
    const bearer = live({ status: 401, type: 'authentication_error', message: 'Invalid bearer token' });
    expect(classify(bearer, ctx({ sentAs: 'authorization' })).answer).toMatchObject({ reason: 'bearer_refused' });
    const beta = live({
      status: 401,
      type: 'authentication_error',
      message: 'OAuth authentication is currently not supported.',
    });
    const c = classify(beta, ctx({ sentAs: 'authorization', credentialKind: 'oauth_access' }));
    expect(c.answer).toEqual({ kind: 'rejected', status: 401, reason: 'oauth_beta_missing' });
  });

  it('a 401 with a message the table does not know is rejected, reason unrecognised', () => {
    const c = classify(live({ status: 401, type: 'authentication_error', message: 'no idea' }), ctx());
    expect(c.answer).toEqual({ kind: 'rejected', status: 401, reason: 'unrecognised' });
    expect(ids(c.findings)).toEqual(['key.invalid']);
  });

  it('2xx is accepted; 429/529/5xx are transient; a transport failure is network', () => {
    expect(classify(live({ status: 200 }), ctx()).answer).toEqual({ kind: 'accepted' });
    expect(classify(live({ status: 429, type: 'rate_limit_error', retryAfter: 3 }), ctx()).answer).toEqual({
      kind: 'transient',
      status: 429,
      retryAfterSeconds: 3,
    });
    expect(classify(live({ status: 529, type: 'overloaded_error' }), ctx()).answer.kind).toBe('transient');
    expect(classify(live({ status: 503, type: 'api_error' }), ctx()).answer.kind).toBe('transient');
    const net = live({ status: null, network: { kind: 'timeout', code: 'ETIMEDOUT', message: 'timed out' } });
    expect(classify(net, ctx()).answer).toEqual({ kind: 'network', network: 'timeout', status: null });
  });

  it('a gateway answer is not_anthropic and still says what its text means', () => {
    const r = live({
      status: 401,
      message: 'Invalid bearer token',
      shape: 'raw',
      body: '{"message":"Invalid bearer token"}',
    });
    const c = classify(r, ctx({ sentAs: 'authorization' }));
    expect(c.answer).toEqual({ kind: 'not_anthropic', status: 401, provider: null, said: 'bearer_refused' });
  });

  it('the findings are those of classifyAnswer', () => {
    const r = live({ status: 401, type: 'authentication_error', message: 'invalid x-api-key' });
    expect(classify(r, ctx()).findings).toEqual(classifyAnswer(r, ctx()));
  });
});

describe('classifyAnswer: answers that did not come from Anthropic', () => {
  const foreign = (
    status: number,
    body: string,
    contentType = 'application/json',
    message: string | null = null,
    type: string | null = null,
  ): ProbeResult => ({
    ...live({ status, shape: 'raw', body }),
    contentType,
    errorMessage: message,
    errorType: type,
    url: 'https://gw.example/v1/models',
    purpose: 'base_url',
  });

  it('an OpenAI-style envelope is a gateway answer', () => {
    const r = foreign(
      401,
      '{"error":{"message":"Invalid API key","type":"invalid_request_error","code":"invalid_api_key"}}',
      'application/json',
      'Invalid API key',
      'invalid_request_error',
    );
    expect(isAnthropicAnswer(r)).toBe(false);
    const found = classifyAnswer(r, ctx({ viaBaseUrl: true }));
    expect(ids(found)).toEqual(['endpoint.gateway_response']);
    expect(found[0]!.detail).toContain('no request-id');
    expect(found[0]!.detail).toContain('ANTHROPIC_BASE_URL');
  });

  it('a gateway that wants x-api-key while the client sent Bearer: also header.bearer', () => {
    const r = foreign(
      401,
      '{"error":{"message":"missing x-api-key header","type":"auth_error","code":"401"}}',
      'application/json',
      'missing x-api-key header',
      'auth_error',
    );
    const found = classifyAnswer(
      r,
      ctx({ viaBaseUrl: true, sentAs: 'authorization', anthropicVersion: '2026-10-21', client: 'sdk-ts-1' }),
    );
    expect(ids(found)).toEqual(['endpoint.gateway_response', 'header.bearer']);
    expect(found[1]!.detail).toContain('a gateway that reads only x-api-key');
    expect(found[1]!.fix.join(' ')).toMatch(/Authorization: Bearer/);
  });

  it('a gateway that wants Authorization while the client sent x-api-key: also header.x_api_key', () => {
    const r = foreign(
      401,
      'Unauthorized: missing Authorization: Bearer token',
      'text/plain',
      'Unauthorized: missing Authorization: Bearer token',
    );
    const found = classifyAnswer(r, ctx({ viaBaseUrl: true, sentAs: 'x-api-key', client: 'claude-code' }));
    expect(ids(found)).toEqual(['endpoint.gateway_response', 'header.x_api_key']);
    expect(found[1]!.fix[0]).toContain('ANTHROPIC_AUTH_TOKEN');
  });

  it.each([
    ['plain text', 404, '404 page not found', 'text/plain', '404 page not found'],
    [
      'HTML',
      401,
      '<html><head><title>401 Authorization Required</title></head></html>',
      'text/html',
      '401 Authorization Required',
    ],
    [
      'XML',
      403,
      '<?xml version="1.0"?><Error><Code>AuthenticationRequired</Code><Message>Server failed to authenticate the request.</Message></Error>',
      'application/xml',
      'AuthenticationRequired Server failed to authenticate the request.',
    ],
  ])('%s', (_n, status, body, type, message) => {
    expect(ids(classifyAnswer(foreign(status, body, type, message), ctx({ viaBaseUrl: true })))).toEqual([
      'endpoint.gateway_response',
    ]);
  });

  it('a 5xx without request id from the official host is server trouble, from a base URL a gateway', () => {
    const r = foreign(502, '<html><title>502 Bad Gateway</title></html>', 'text/html', '502 Bad Gateway');
    expect(ids(classifyAnswer({ ...r, url: 'https://api.anthropic.com/v1/models' }, ctx()))).toEqual([
      'api.server_error',
    ]);
    expect(ids(classifyAnswer(r, ctx({ viaBaseUrl: true })))).toEqual(['endpoint.gateway_response']);
  });

  it.each([
    [
      'bedrock',
      403,
      '{"message":"The security token included in the request is invalid."}',
      'The security token included in the request is invalid.',
      'provider.bedrock',
    ],
    [
      'bedrock IAM',
      403,
      '{"message":"User: arn:aws:sts::1:assumed-role/x is not authorized to perform: bedrock:InvokeModel on resource: arn"}',
      'User: arn:aws:sts::1:assumed-role/x is not authorized to perform: bedrock:InvokeModel on resource: arn',
      'provider.bedrock',
    ],
    [
      'vertex',
      401,
      '{"error":{"code":401,"message":"Request had invalid authentication credentials. Expected OAuth 2 access token.","status":"UNAUTHENTICATED"}}',
      'Request had invalid authentication credentials. Expected OAuth 2 access token.',
      'provider.vertex',
    ],
    [
      'foundry',
      401,
      '{"error":{"message":"Failed to get token from azureADTokenProvider: ChainedTokenCredential authentication failed"}}',
      'Failed to get token from azureADTokenProvider: ChainedTokenCredential authentication failed',
      'provider.foundry',
    ],
  ])('%s shapes are provider findings with severity error', (_n, status, body, message, id) => {
    const found = classifyAnswer(foreign(status, body, 'application/json', message), ctx({ viaBaseUrl: true }));
    expect(ids(found)).toEqual([id]);
    expect(found[0]!.severity).toBe('error');
  });

  it('the IAM case points at bedrock:InvokeModel, the token case at credentials', () => {
    const iam = classifyAnswer(
      foreign(
        403,
        '{"message":"not authorized to perform: bedrock:InvokeModel"}',
        'application/json',
        'not authorized to perform: bedrock:InvokeModel',
      ),
      ctx(),
    );
    const token = classifyAnswer(
      foreign(
        403,
        '{"message":"The security token included in the request is expired"}',
        'application/json',
        'The security token included in the request is expired',
      ),
      ctx(),
    );
    expect(iam[0]!.fix.join(' ')).toContain('bedrock:InvokeModel');
    expect(token[0]!.fix.join(' ')).toContain('aws sso login');
  });
});

describe('classifyAnswer: network results', () => {
  const net = (kind: NetworkErrorKind, code: string, message = 'fetch failed', status: number | null = null) =>
    ({ ...live({ status: null }), status, network: { kind, code, message } }) as ProbeResult;

  it.each([
    ['timeout', 'ETIMEDOUT', 'network.timeout', /in time/],
    ['tls', 'SELF_SIGNED_CERT_IN_CHAIN', 'network.tls', /SELF_SIGNED_CERT_IN_CHAIN/],
    ['proxy', 'ECONNREFUSED', 'network.proxy', /proxy/],
    ['dns', 'ENOTFOUND', 'network.unreachable', /DNS/],
    ['unreachable', 'ECONNREFUSED', 'network.unreachable', /could not be made/],
    ['reset', 'ECONNRESET', 'network.unreachable', /connection was reset/],
  ] as const)('%s -> %s', (kind, code, id, detail) => {
    const found = classifyAnswer(net(kind, code), ctx());
    expect(ids(found)).toEqual([id]);
    expect(found[0]!.severity).toBe('warning');
    expect(found[0]!.detail).toMatch(detail);
  });

  it('a body that timed out after the headers says so', () => {
    expect(classifyAnswer(net('timeout', 'ETIMEDOUT', 'timed out', 200), ctx())[0]!.detail).toContain(
      'after HTTP 200 headers',
    );
  });

  it('a header fetch refused is key.whitespace, not a network fault', () => {
    expect(
      ids(
        classifyAnswer(
          net('unreachable', 'ERR_INVALID_HEADER', 'the x-api-key header value contains a line break at character 51'),
          ctx(),
        ),
      ),
    ).toEqual(['key.whitespace']);
  });
});

describe('isTransient / isAnthropicAnswer', () => {
  it.each([
    [{ status: 429, retryAfter: 3 }, true],
    [{ status: 429 }, false],
    [{ status: 429, retryAfter: 3, code: 'enforced_spend_limit_reached' }, false],
    [{ status: 529 }, true],
    [{ status: 503 }, true],
    [{ status: 401 }, false],
    [{ status: 403 }, false],
    [{ status: 400 }, false],
    [{ status: 404 }, false],
    [{ status: 200 }, false],
  ] as [LiveSpec, boolean][])('%o -> %s', (spec, expected) => {
    expect(isTransient(live(spec))).toBe(expected);
  });

  it('resets are transient, timeouts and TLS are not', () => {
    const n = (kind: NetworkErrorKind) => ({ ...live({ status: null }), network: { kind, code: 'X', message: '' } });
    expect(isTransient(n('reset'))).toBe(true);
    expect(isTransient(n('timeout'))).toBe(false);
    expect(isTransient(n('tls'))).toBe(false);
  });

  it('knows an Anthropic answer by request id or envelope', () => {
    expect(isAnthropicAnswer(live({ status: 401, type: 'authentication_error', message: 'x' }))).toBe(true);
    expect(isAnthropicAnswer({ ...live({ status: 401, shape: 'raw', body: '{}' }), requestId: 'abc-123' })).toBe(false);
    expect(isAnthropicAnswer({ ...live({ status: 401, shape: 'raw', body: '{}' }), anthropicEnvelope: true })).toBe(
      true,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Pasted errors

const anthropicBody = (type: string, message: string) =>
  JSON.stringify({ type: 'error', error: { type, message }, request_id: REQ });
const pyRepr = (type: string, message: string) =>
  `{'type': 'error', 'error': {'type': '${type}', 'message': '${message}', 'details': None}, 'request_id': '${REQ}'}`;

interface PasteCase {
  name: string;
  text: string;
  form: string;
  status: number | null;
  requestId?: string | null;
  type?: string | null;
  message?: RegExp;
  ctx?: Partial<ClassifyContext>;
  findings: string[];
}

const PASTES: PasteCase[] = [
  // TypeScript SDK
  {
    name: 'ts sdk message',
    text: `401 ${anthropicBody('authentication_error', 'invalid x-api-key')}`,
    form: 'sdk-ts',
    status: 401,
    requestId: REQ,
    type: 'authentication_error',
    message: /^invalid x-api-key$/,
    findings: ['key.invalid'],
  },
  {
    name: 'ts sdk class + stack',
    text: `AuthenticationError: 401 ${anthropicBody('authentication_error', 'Invalid bearer token')}\n    at APIError.generate (file:///app/node_modules/@anthropic-ai/sdk/core/error.mjs:41:20)`,
    form: 'sdk-ts',
    status: 401,
    requestId: REQ,
    ctx: { sentAs: 'authorization', client: 'sdk-ts-0', anthropicVersion: '2023-06-01' },
    findings: ['header.bearer'],
  },
  {
    name: 'ts sdk 403',
    text: `PermissionDeniedError: 403 ${anthropicBody('permission_error', 'OAuth token does not meet scope requirement user:inference')}`,
    form: 'sdk-ts',
    status: 403,
    requestId: REQ,
    findings: ['scope.permission'],
  },
  // Python SDK (dict repr)
  {
    name: 'python sdk',
    text: `anthropic.AuthenticationError: Error code: 401 - ${pyRepr('authentication_error', 'invalid x-api-key')}`,
    form: 'sdk-py',
    status: 401,
    requestId: REQ,
    type: 'authentication_error',
    message: /^invalid x-api-key$/,
    findings: ['key.invalid'],
  },
  {
    name: 'python traceback, double-quoted message',
    text: `Traceback (most recent call last):\n  File "app.py", line 9, in <module>\n    client.messages.create(...)\nanthropic.BadRequestError: Error code: 400 - {'type': 'error', 'error': {'type': 'invalid_request_error', 'message': "Your credit balance is too low to access the Anthropic API. Don't wait."}, 'request_id': '${REQ}'}`,
    form: 'sdk-py',
    status: 400,
    requestId: REQ,
    message: /Don't wait/,
    findings: ['billing.credit'],
  },
  {
    name: 'python escaped quote',
    text: `Error code: 400 - {'type': 'error', 'error': {'type': 'invalid_request_error', 'message': 'anthropic-version: header is required \\'x\\''}, 'request_id': '${REQ}'}`,
    form: 'sdk-py',
    status: 400,
    requestId: REQ,
    message: /required 'x'$/,
    ctx: { anthropicVersion: null },
    findings: ['header.missing_version'],
  },
  // Claude Code
  {
    name: 'cc invalid key',
    text: 'Invalid API key · Fix external API key',
    form: 'claude-code',
    status: null,
    ctx: { client: 'claude-code' },
    findings: ['key.invalid'],
  },
  {
    name: 'cc invalid key (older)',
    text: 'Invalid API key · Please run /login',
    form: 'claude-code',
    status: null,
    ctx: { client: 'claude-code' },
    findings: ['key.invalid'],
  },
  {
    name: 'cc raw API error',
    text: `API Error: 401 ${anthropicBody('authentication_error', 'invalid x-api-key')}`,
    form: 'claude-code',
    status: 401,
    requestId: REQ,
    findings: ['key.invalid'],
  },
  {
    name: 'cc failed to authenticate',
    text: `Failed to authenticate. API Error: 401 ${anthropicBody('authentication_error', 'Invalid bearer token')}`,
    form: 'claude-code',
    status: 401,
    requestId: REQ,
    ctx: { client: 'claude-code', sentAs: 'authorization' },
    findings: ['header.bearer'],
  },
  {
    name: 'cc oauth expired',
    text: 'OAuth token has expired · Please run /login',
    form: 'claude-code',
    status: null,
    findings: ['oauth.expired'],
  },
  {
    name: 'cc oauth expired raw',
    text: `API Error: 401 ${anthropicBody('authentication_error', 'OAuth token has expired. Please obtain a new token or refresh your existing token.')} · Please run /login`,
    form: 'claude-code',
    status: 401,
    requestId: REQ,
    findings: ['oauth.expired'],
  },
  {
    name: 'cc credit',
    text: 'Credit balance is too low',
    form: 'claude-code',
    status: null,
    ctx: { client: 'claude-code' },
    findings: ['billing.credit'],
  },
  {
    name: 'cc not logged in',
    text: 'Not logged in · Please run /login',
    form: 'claude-code',
    status: null,
    findings: ['key.missing'],
  },
  {
    name: 'cc bad auth token',
    text: 'Invalid auth token · Fix external auth token',
    form: 'claude-code',
    status: null,
    findings: ['key.whitespace'],
  },
  {
    name: 'cc disabled org',
    text: 'Your ANTHROPIC_API_KEY belongs to a disabled organization · Unset the environment variable to use your subscription instead',
    form: 'claude-code',
    status: null,
    findings: ['org.disabled'],
  },
  {
    name: 'cc oauth revoked',
    text: 'OAuth token revoked · Please run /login',
    form: 'claude-code',
    status: null,
    findings: ['key.invalid'],
  },
  {
    name: 'cc invalid credentials',
    text: 'Please run /login · API Error: 401 Invalid authentication credentials',
    form: 'claude-code',
    status: 401,
    findings: ['key.invalid'],
  },
  {
    name: 'cc selected model',
    text: "There's an issue with the selected model (claude-sonnet-9-9). It may not exist or you may not have access to it. Run /model to pick a different model.",
    form: 'claude-code',
    status: null,
    ctx: { client: 'claude-code' },
    findings: ['scope.model'],
  },
  {
    name: 'cc line break',
    text: 'Invalid API key · Fix external API key\nInvalid X-Api-Key header value from ANTHROPIC_API_KEY: it contains a line break at character 41 (120 characters on 2 lines).',
    form: 'claude-code',
    status: null,
    message: /character 41/,
    findings: ['key.whitespace'],
  },
  {
    name: 'cc wrapped in ANSI',
    text: `\x1b[31m\x1b[1mAPI Error: 401\x1b[22m ${anthropicBody('authentication_error', 'invalid x-api-key')}\x1b[39m\r\n\x1b]8;;https://x\x07link\x1b]8;;\x07`,
    form: 'claude-code',
    status: 401,
    requestId: REQ,
    message: /^invalid x-api-key$/,
    findings: ['key.invalid'],
  },
  {
    name: 'cc line with ANSI inside',
    text: '\x1b[1m\x1b[31mInvalid API key\x1b[39m\x1b[22m · \x1b]8;;https://x\x07Fix external API key\x1b]8;;\x07\r\n',
    form: 'claude-code',
    status: null,
    message: /^Invalid API key · Fix external API key$/,
    findings: ['key.invalid'],
  },
  // curl
  {
    name: 'curl -i',
    text: `HTTP/2 401 \r\ndate: Mon, 23 Nov 2026 10:00:00 GMT\r\ncontent-type: application/json\r\nrequest-id: ${REQ}\r\nx-should-retry: false\r\n\r\n${anthropicBody('authentication_error', 'x-api-key header is required')}`,
    form: 'curl',
    status: 401,
    requestId: REQ,
    ctx: { client: 'curl', sentAs: 'none' },
    findings: ['header.missing_key'],
  },
  {
    name: 'curl -v',
    text: `*   Trying 160.79.104.10:443...\n* Connected to api.anthropic.com\n> GET /v1/models HTTP/2\n> Host: api.anthropic.com\n> x-api-key: ${fakeKey('api')}\n> anthropic-version: 2023-06-01\n>\n< HTTP/2 401 \n< content-type: application/json\n< request-id: ${REQ}\n<\n${anthropicBody('authentication_error', 'invalid x-api-key')}`,
    form: 'curl',
    status: 401,
    requestId: REQ,
    findings: ['key.invalid'],
  },
  {
    name: 'curl 100-continue then 403',
    text: `HTTP/1.1 100 Continue\n\nHTTP/1.1 403 Forbidden\ncontent-type: application/json\n\n{"error":{"type":"forbidden","message":"Request not allowed"}}`,
    form: 'curl',
    status: 403,
    requestId: null,
    type: 'forbidden',
    findings: ['region.blocked'],
  },
  // Bedrock
  {
    name: 'bedrock exception',
    text: 'UnrecognizedClientException: The security token included in the request is invalid.',
    form: 'bedrock',
    status: null,
    type: 'UnrecognizedClientException',
    findings: ['provider.bedrock'],
  },
  {
    name: 'bedrock via claude code',
    text: 'API Error: 403 The security token included in the request is expired · Please run /login',
    form: 'bedrock',
    status: 403,
    findings: ['provider.bedrock'],
  },
  {
    name: 'bedrock IAM',
    text: 'AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/dev/me is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-x because no identity-based policy allows the bedrock:InvokeModel action',
    form: 'bedrock',
    status: null,
    type: 'AccessDeniedException',
    findings: ['provider.bedrock'],
  },
  // Vertex
  {
    name: 'vertex permission',
    text: `403 [{"error":{"code":403,"message":"Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/projects/p/locations/us-east5/publishers/anthropic/models/claude-x' (or it may not exist).","status":"PERMISSION_DENIED"}}]`,
    form: 'vertex',
    status: 403,
    type: 'PERMISSION_DENIED',
    findings: ['provider.vertex'],
  },
  {
    name: 'vertex unauthenticated',
    text: '{"error":{"code":401,"message":"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.","status":"UNAUTHENTICATED"}}',
    form: 'vertex',
    status: 401,
    type: 'UNAUTHENTICATED',
    findings: ['provider.vertex'],
  },
  // Gateways
  {
    name: 'openai envelope',
    text: '{"error":{"message":"Incorrect API key provided: sk-***","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}',
    form: 'gateway',
    status: 400,
    findings: ['endpoint.gateway_response'],
  },
  {
    name: 'claude code through a gateway',
    text: 'API Error: 401 {"error":{"message":"x-api-key header missing","type":"auth_error","code":"401"}}',
    form: 'gateway',
    status: 401,
    ctx: { sentAs: 'authorization', viaBaseUrl: true, client: 'claude-code' },
    findings: ['endpoint.gateway_response', 'header.bearer'],
  },
  {
    name: '404 page not found',
    text: 'Error: 404 404 page not found',
    form: 'gateway',
    status: 404,
    findings: ['endpoint.gateway_response'],
  },
  {
    name: 'html',
    text: '<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body>nginx</body></html>',
    form: 'gateway',
    status: 403,
    message: /^403 Forbidden$/,
    findings: ['endpoint.gateway_response'],
  },
  {
    name: 'xml',
    text: '<?xml version="1.0"?><Error><Code>AuthenticationRequired</Code><Message>Server failed to authenticate.</Message></Error>',
    form: 'gateway',
    status: null,
    findings: ['endpoint.gateway_response'],
  },
  // Plain text
  {
    name: 'status only',
    text: 'Request failed with status code 401',
    form: 'text',
    status: 401,
    findings: ['key.invalid'],
  },
  {
    name: 'status only, via a base URL',
    text: 'Request failed with status code 401',
    form: 'text',
    status: 401,
    ctx: { viaBaseUrl: true },
    findings: ['endpoint.gateway_response'],
  },
  {
    name: 'bare API body',
    text: anthropicBody(
      'invalid_request_error',
      'This API key is not scoped to a workspace, so this request must include the anthropic-workspace-id header',
    ),
    form: 'text',
    status: 400,
    requestId: REQ,
    findings: ['workspace.required'],
  },
  {
    name: 'known message in prose',
    text: 'my script says: Your credit balance is too low to access the Anthropic API.',
    form: 'text',
    status: null,
    findings: ['billing.credit'],
  },
  {
    name: 'foundry',
    text: 'Failed to get token from azureADTokenProvider: ChainedTokenCredential authentication failed',
    form: 'text',
    status: null,
    findings: ['provider.foundry'],
  },
];

describe('parsePastedError + classifyAnswer: every form', () => {
  it.each(PASTES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const p = parsePastedError(c.text);
    expect(p).not.toBeNull();
    expect(p!.form).toBe(c.form);
    expect(p!.status).toBe(c.status);
    if (c.requestId !== undefined) expect(p!.requestId).toBe(c.requestId);
    if (c.type !== undefined) expect(p!.errorType).toBe(c.type);
    if (c.message) expect(p!.errorMessage).toMatch(c.message);
    expect(p!.errorMessage ?? '').not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\x9b]/);
    const found = classifyAnswer(p!, ctx(c.ctx));
    expect(ids(found)).toEqual(c.findings);
    if (p!.requestId) expect(found[0]!.detail).toContain(p!.requestId);
  });

  it('never keeps a request header line from curl -v (it holds the key)', () => {
    const key = fakeKey('api');
    const text = `> GET /v1/models HTTP/2\n> x-api-key: ${key}\n>\n< HTTP/2 502 \n<\n<html>bad gateway</html>`;
    const p = parsePastedError(text);
    expect(p?.form).toBe('gateway');
    expect(JSON.stringify(p)).not.toContain(key.slice(20, 28));
  });

  it('finds the body after a long log full of other braces', () => {
    const log = 'INFO handler {id} finished [ok] {"level":"info"}\n'.repeat(5000);
    const p = parsePastedError(
      `${log}AuthenticationError: 401 ${anthropicBody('authentication_error', 'invalid x-api-key')}`,
    );
    expect(p).toMatchObject({
      status: 401,
      requestId: REQ,
      errorType: 'authentication_error',
      errorMessage: 'invalid x-api-key',
    });
  });

  it.each(['', '   \n\t', 'hello world', '{"a":1}', 'the build took 401 seconds', '\x1b[31m\x1b[0m'])(
    '%j is not an error',
    (text) => {
      expect(parsePastedError(text)).toBeNull();
    },
  );

  it('every matched message lives in the table with a mark', () => {
    for (const [key, m] of Object.entries(MESSAGES)) {
      expect(m.text.length, key).toBeGreaterThan(5);
      expect(m.mark, key).toMatch(/§\d/);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: arbitrary input never throws, stays linear, and returns null or a PastedError.

const FORMS = ['sdk-ts', 'sdk-py', 'claude-code', 'curl', 'bedrock', 'vertex', 'gateway', 'text'];
function wellFormed(p: PastedError | null) {
  if (p === null) return;
  expect(FORMS).toContain(p.form);
  if (p.status !== null) expect(Number.isInteger(p.status) && p.status >= 100 && p.status <= 599).toBe(true);
  if (p.requestId !== null) expect(p.requestId).toMatch(/^req_/);
  if (p.errorMessage !== null) {
    expect(p.errorMessage.length).toBeLessThanOrEqual(500);
    expect(p.errorMessage).not.toContain('\x1b');
  }
}

const ansi = fc.constantFrom(
  '\x1b[31m',
  '\x1b[0m',
  '\x1b]0;title\x07',
  '\x1b]8;;http://x\x1b\\',
  '\x1b',
  '\x9b2J',
  '\r\n',
  '\r',
  '\x00',
  '\u202e',
  '\x1bP1$r\x1b\\',
);
const fragment = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  ansi,
  fc.constantFrom(
    '{',
    '}',
    '[',
    "'",
    '"',
    '\\',
    ':',
    ',',
    'req_',
    'HTTP/1.1 ',
    '401 ',
    'Error code: ',
    'API Error: ',
    '{"type":"error","error":',
    "{'type': 'error'",
    'invalid x-api-key',
    ' · ',
    'None',
    'True',
  ),
);

describe('parsePastedError properties', () => {
  it('arbitrary Unicode never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (s) => wellFormed(parsePastedError(s))),
      { numRuns: 300 },
    );
  });

  it('ANSI and JSON-ish fragments never throw', () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 200 }), (parts) => {
        const p = parsePastedError(parts.join(''));
        wellFormed(p);
        if (p) classifyAnswer(p, ctx());
      }),
      { numRuns: 300 },
    );
  });

  it('200 KB inputs never throw', () => {
    fc.assert(
      fc.property(fc.array(fragment, { minLength: 1, maxLength: 30 }), (parts) => {
        const unit = parts.join('') || '{';
        wellFormed(parsePastedError(unit.repeat(Math.ceil((200 * 1024) / unit.length))));
      }),
      { numRuns: 25 },
    );
  });

  it('finds the error inside arbitrary noise', () => {
    const noise = fc.string({ unit: 'binary', maxLength: 300 }).map((s) => s.replace(/[{}'"]/g, ''));
    fc.assert(
      fc.property(noise, noise, (before, after) => {
        const p = parsePastedError(
          `${before}\nAPI Error: 401 ${anthropicBody('authentication_error', 'invalid x-api-key')}\n${after}`,
        );
        expect(p?.requestId).toBe(REQ);
        expect(p?.errorMessage).toBe('invalid x-api-key');
      }),
      { numRuns: 200 },
    );
  });

  it('adversarial 1 MB inputs finish (no catastrophic backtracking)', () => {
    const MB = 1024 * 1024;
    const inputs = [
      '{'.repeat(MB),
      '{"a":'.repeat(MB / 5),
      `{'`.repeat(MB / 2),
      '"'.repeat(MB),
      'Error code' + ' '.repeat(MB),
      'req_'.repeat(MB / 4),
      'API Error: ' + '4'.repeat(MB),
      'HTTP/1.1 '.repeat(MB / 9),
      '\x1b['.repeat(MB / 2),
      '\x1b]'.repeat(MB / 2),
      '<'.repeat(MB),
      'Exception'.repeat(MB / 9),
      `{"error":{"message":"` + 'x'.repeat(MB),
      '['.repeat(MB),
      'a'.repeat(MB),
    ];
    for (const s of inputs) wellFormed(parsePastedError(s));
  });

  it('classifyAnswer never throws on arbitrary pasted shapes', () => {
    const pasted = fc.record({
      status: fc.option(fc.integer({ min: 100, max: 599 })),
      requestId: fc.option(fc.string()),
      errorType: fc.option(fc.string()),
      errorMessage: fc.option(fc.string({ unit: 'binary' })),
      form: fc.constantFrom(...FORMS),
    });
    const c = fc.record({
      sentAs: fc.constantFrom('x-api-key', 'authorization', 'both', 'none'),
      credentialKind: fc.constantFrom(
        null,
        'api_key',
        'admin_key',
        'oauth_access',
        'oauth_refresh',
        'session_cookie',
        'foreign',
        'unknown',
      ),
      anthropicVersion: fc.constantFrom(null, '2023-06-01', '2026-10-21'),
      oauthBeta: fc.boolean(),
      viaBaseUrl: fc.boolean(),
    });
    fc.assert(
      fc.property(pasted, c, (p, k) => {
        for (const f of classifyAnswer(p, k)) {
          expect(isFindingId(f.id)).toBe(true);
          expect(f.detail).not.toContain('\x1b');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('Claude Code "Not logged in" (issue 18)', () => {
  it('is not proof that nothing was found: the same line follows a rejected token (fact sheet §6, observed)', () => {
    const pasted = parsePastedError('Not logged in · Please run /login')!;
    const [f] = classifyAnswer(pasted, ctx());
    expect(f?.id).toBe('key.missing');
    expect(f?.detail).toMatch(/or the API rejected the ANTHROPIC_AUTH_TOKEN or OAuth token it sent/);
    expect(f?.fix.join('\n')).toMatch(/check that token/);
  });
});
