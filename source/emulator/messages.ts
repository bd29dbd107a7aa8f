// Every status, error type and message the emulator answers with, written out from
// ../../shared/reference/anthropic-auth-facts.md (§2–§4, §8). Nothing here is imported from
// source/core: if the classifier misreads the fact sheet, the emulator must not misread it too.
//
// Entries marked [U] are assumptions the fact sheet could not verify. Each lives in exactly one
// constant so that a real probe can correct it in one place (see README.md).

export interface ErrorSpec {
  status: number;
  type: string;
  message: string;
}

const authError = (message: string): ErrorSpec => ({ status: 401, type: 'authentication_error', message });
const badRequest = (message: string): ErrorSpec => ({ status: 400, type: 'invalid_request_error', message });

export const VALID_VERSIONS: readonly string[] = ['2023-06-01', '2023-01-01', '2026-10-21'];
/** The version under which the API accepts an API key in `Authorization: Bearer` (TS SDK ≥ 1.0). [U] */
export const BEARER_API_KEY_VERSION = '2026-10-21';
export const OAUTH_BETA = 'oauth-2025-04-20';

// --- observed / verified messages --------------------------------------------------------------
export const CORS_REQUIRED = authError("CORS requests must set 'anthropic-dangerous-direct-browser-access' header");
export const VERSION_MISSING = badRequest('anthropic-version: header is required');
export const versionInvalid = (v: string): ErrorSpec => badRequest(`anthropic-version: "${v}" is not a valid version`);
export const KEY_HEADER_MISSING = authError('x-api-key header is required');
export const INVALID_X_API_KEY = authError('invalid x-api-key');
export const INVALID_BEARER = authError('Invalid bearer token');
export const OAUTH_NOT_SUPPORTED = authError('OAuth authentication is currently not supported.');
export const OAUTH_EXPIRED = authError(
  'OAuth token has expired. Please obtain a new token or refresh your existing token.',
);
export const OAUTH_INVALID = authError('Invalid OAuth token. The provided token was not found or is malformed.');
export const OAUTH_ORG_NOT_ALLOWED = authError('OAuth authentication is currently not allowed for this organization.');
export const WORKSPACE_HEADER_REQUIRED = badRequest(
  'anthropic-workspace-id is required when authenticating with an identity-linked API key',
);
export const ORG_DISABLED = badRequest('This organization has been disabled.');
export const CREDIT_TOO_LOW = badRequest(
  'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade ' +
    'or purchase credits.',
);
/** `date` is when access returns: the first day of the next month, as the observed message says. */
export const spendLimitReached = (date: string): ErrorSpec =>
  badRequest(`You have reached your specified API usage limits. You will regain access on ${date} at 00:00 UTC.`);
export const modelNotFound = (id: string): ErrorSpec => ({
  status: 404,
  type: 'not_found_error',
  message: `model: ${id}`,
});
export const OVERLOADED: ErrorSpec = { status: 529, type: 'overloaded_error', message: 'Overloaded' };
export const SERVER_ERROR: ErrorSpec = { status: 500, type: 'api_error', message: 'Internal server error' };
export const rateLimited = (orgId: string): ErrorSpec => ({
  status: 429,
  type: 'rate_limit_error',
  message:
    `This request would exceed the rate limit for your organization (${orgId}) of 50 requests per minute. ` +
    'For details, refer to: https://docs.anthropic.com/en/api/rate-limits. You can see the response headers ' +
    'for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. ' +
    ('You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a ' +
      'rate limit increase.'),
});
/** Tier monthly cap: 429 with `details.error_code` and no `retry-after`. The text after the comma is [U]. */
export const SPEND_CAP: ErrorSpec = {
  status: 429,
  type: 'rate_limit_error',
  message:
    'You have reached your API usage limits: your organization has crossed its monthly API usage threshold, ' +
    'and API access will resume at the start of next month.',
};
export const SPEND_CAP_ERROR_CODE = 'enforced_spend_limit_reached';
/** Not an Anthropic envelope: no top-level `type`, no `request_id` (fact sheet §2). */
export const REQUEST_NOT_ALLOWED_BODY = { error: { type: 'forbidden', message: 'Request not allowed' } };
export const HTML_502_BODY = '<html><body><h1>502 Bad Gateway</h1></body></html>';

// --- [U] assumptions -----------------------------------------------------------------------------
/** [U] `x-api-key` and `Authorization` carry different values. The API rejects this; the message is
 *  unknown. `invalid x-api-key` was chosen so that a classifier cannot recognise `header.both` from
 *  the message alone: it has to look at what it sent and re-probe with one header. */
export const BOTH_HEADERS_DIFFER = INVALID_X_API_KEY;
/** [U] Deactivated (`inactive`), `archived`, not-yet-active keys and keys in an archived workspace. */
export const KEY_REVOKED = INVALID_X_API_KEY;
/** [U] message; 401 authentication_error is [V]. Deliberately identical to KEY_REVOKED: only the
 *  Admin API (`status: "expired"`) tells an expired key from a revoked one. */
export const KEY_EXPIRED = INVALID_X_API_KEY;
/** [U] An OAuth access token in `x-api-key` (third-party notes say `invalid x-api-key`). */
export const OAUTH_IN_X_API_KEY = INVALID_X_API_KEY;
/** [U] An Admin key (`sk-ant-admin01-`) on a non-admin endpoint. */
export const ADMIN_KEY_ON_INFERENCE = INVALID_X_API_KEY;
/** [U] A normal API key on `/v1/organizations/*`: 401, as trufflehog treats "401 = not live" there. */
export const KEY_ON_ADMIN = INVALID_X_API_KEY;
/** [U] An API key that is unknown, revoked or expired, sent as Bearer under 2026-10-21: the answer
 *  names the header the credential came in, like the other Bearer failures. */
export const BEARER_KEY_REJECTED = INVALID_BEARER;
/** [U] OAuth token without the scope an endpoint needs (message form from fact sheet §2). */
export const OAUTH_SCOPE_INFERENCE: ErrorSpec = {
  status: 403,
  type: 'permission_error',
  message:
    'OAuth token does not meet scope requirement any_of(user:inference, user:ccr_inference, user:voice, ' +
    'org:service_key_inference)',
};
export const OAUTH_SCOPE_ADMIN: ErrorSpec = {
  status: 403,
  type: 'permission_error',
  message: 'OAuth token does not meet scope requirement org:admin',
};
/** [U] Admin API asked for an individual account ("unavailable for individual accounts"): 404 Not Found. */
export const NOT_FOUND: ErrorSpec = { status: 404, type: 'not_found_error', message: 'Not Found' };
export const ADMIN_UNAVAILABLE_INDIVIDUAL = NOT_FOUND;
/** [U] Known path, wrong method (POST /v1/organizations/api_keys was seen answering 405). */
export const METHOD_NOT_ALLOWED: ErrorSpec = {
  status: 405,
  type: 'invalid_request_error',
  message: 'Method Not Allowed',
};
/** [U] Identity-linked key naming a workspace its organization does not have (or has archived). */
export const workspaceUnknown = (id: string): ErrorSpec =>
  badRequest(`anthropic-workspace-id: "${id}" is not a valid workspace`);
/** [U] pydantic-style validation messages for bad request bodies and paging parameters. */
export const fieldRequired = (field: string): ErrorSpec => badRequest(`${field}: Field required`);
export const INVALID_JSON = badRequest(
  'There was an issue with your request body. Please check that it is valid JSON.',
);
export const limitOutOfRange = (raw: string): ErrorSpec =>
  badRequest(`limit: Input should be an integer between 1 and 1000, got "${raw}"`);

// --- gateway answers (not Anthropic) -------------------------------------------------------------
export const openAiError = (message: string, code: string) => ({
  error: { message, type: 'invalid_request_error', code },
});
export const GATEWAY_MISSING_X_API_KEY = openAiError('Missing x-api-key', 'missing_api_key');
export const GATEWAY_MISSING_AUTHORIZATION = openAiError('Missing Authorization header', 'missing_authorization');
export const GATEWAY_INVALID_KEY = openAiError(
  'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
  'invalid_api_key',
);
export const PLAIN_404 = '404 page not found';
