// Facts about the Anthropic API that several modules need (fact sheet §2, §5). One place each.

export const OFFICIAL_API = 'https://api.anthropic.com';
/** Sent by the Python SDK, the TypeScript SDK 0.x, Claude Code and curl examples. */
export const API_VERSION = '2023-06-01';
/**
 * Sent by @anthropic-ai/sdk ≥ 1.0, which puts every credential in Authorization: Bearer.
 * That the API accepts an API key as Bearer under this version only is inferred from the SDK [U].
 */
export const BEARER_KEY_VERSION = '2026-10-21';
/** Required with an OAuth token in Authorization: Bearer. */
export const OAUTH_BETA = 'oauth-2025-04-20';
/**
 * The model `count_tokens` asks about when the key lists it (else the first model listed): a
 * model most keys can use, known before `GET /v1/models` answers, so that the request can go out
 * together with the first look (machine.ts, "sent ahead") instead of one round trip after it.
 */
export const PREFERRED_MODEL = 'claude-haiku-4-5-20251001';
