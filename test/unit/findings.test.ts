// The catalogue itself: ids as the contract names them, and text the redaction boundary leaves
// alone (our own words must never look like a secret to it).
import { describe, expect, it } from 'vitest';
import { catalogueEntry, FINDING_IDS, finding } from '../../source/core/findings.js';
import { QUESTIONS } from '../../source/core/questions.js';
import { createRedactor } from '../../source/core/redact.js';

const redact = createRedactor({ secrets: [], home: '/home/someone' });

describe('finding catalogue', () => {
  it('has every id the contract lists, each on its step', () => {
    const contract: Record<string, string[]> = {
      key_format: [
        'key.missing',
        'key.placeholder',
        'key.whitespace',
        'key.bearer_prefix',
        'key.truncated',
        'key.malformed',
        'key.wrong_provider',
        'key.admin_key',
        'key.oauth_token',
        'key.wrong_token',
        'env.conflict',
        'env.empty_var',
        'env.wrong_name',
        'env.dotenv_parent',
        'env.auth_token_override',
        'env.api_key_overrides_login',
        'env.api_key_helper',
        'env.oauth_token_override',
        'key.leaked',
        'env.dotenv_not_ignored',
      ],
      activation: ['key.valid', 'key.invalid', 'key.not_yet_active', 'key.expired', 'key.inactive'],
      header: [
        'header.bearer',
        'header.x_api_key',
        'header.both',
        'header.missing_key',
        'header.missing_version',
        'header.oauth_beta',
        'header.stripped',
      ],
      scope: [
        'scope.permission',
        'scope.model',
        'org.disabled',
        'billing.credit',
        'billing.spend_limit',
        'auth.subscription_vs_api',
        'region.blocked',
        'oauth.expired',
      ],
      workspace: [
        'workspace.mismatch',
        'workspace.archived',
        'workspace.required',
        'admin.key_not_in_org',
        'admin.unavailable',
      ],
      provider: [
        'endpoint.base_url',
        'endpoint.gateway_response',
        'provider.bedrock',
        'provider.vertex',
        'provider.foundry',
      ],
      network: [
        'network.unreachable',
        'network.timeout',
        'network.tls',
        'network.proxy',
        'api.overloaded',
        'api.server_error',
        'api.rate_limited',
      ],
    };
    for (const [step, ids] of Object.entries(contract)) {
      for (const id of ids) {
        expect(FINDING_IDS as string[]).toContain(id);
        expect(catalogueEntry(id as (typeof FINDING_IDS)[number]).step, id).toBe(step);
      }
    }
    expect(catalogueEntry('key.valid').severity).toBe('info');
  });

  it('titles and default fixes pass the redactor unchanged', () => {
    for (const id of FINDING_IDS) {
      const f = finding(id, 'detail');
      expect(redact(f.title), id).toBe(f.title);
      for (const line of f.fix) expect(redact(line), id).toBe(line);
    }
  });

  it('question prompts, hints and choices pass the redactor unchanged', () => {
    for (const make of Object.values(QUESTIONS)) {
      const q = make('https://api.anthropic.com');
      for (const text of [q.prompt, q.hint ?? '', ...(q.choices ?? []).map((c) => c.label)])
        expect(redact(text), q.id).toBe(text);
    }
  });
});
