// --help text. Keep in step with ../shared/design/cli-contract.md and readme.md.
export const HELP = `claude-401-wizard — find out why the Claude API, an Anthropic SDK or Claude Code says 401

Usage
  claude-401-wizard                 interactive wizard (needs a terminal; otherwise runs check)
  claude-401-wizard check [options] the same diagnosis with no prompts (scripts, CI)
  claude-401-wizard observe [options] -- COMMAND [ARG…]
                                    run your failing COMMAND once against a local stand-in of
                                    the API, record what it sends, and diagnose with that
  claude-401-wizard demo [NAME]     try it against a built-in fake API with a broken setup
  claude-401-wizard demo --list     name the demo setups

What to diagnose
  --client NAME        program that gets the 401: claude-code, sdk, curl, other, auto (default)
  --error TEXT         the error you saw (a pasted SDK, Claude Code or curl error)
  --error-file FILE    the same, from a file (- reads stdin)
  --key-env NAME       also diagnose the credential in env var NAME (CI secrets)
  --project DIR        look for .env files, settings and SDKs from DIR (default: here)
  --model ID           the model you call; checked with GET /v1/models/ID
  --key-age MINUTES    how long ago the key was created
  --wait SECONDS       if a possibly new key is rejected, re-check for up to SECONDS
  --provider NAME      where you mean to send requests: anthropic, bedrock, vertex, foundry
  --admin-key-env NAME read an Admin API key from env var NAME (workspace and key status)

Live checks (zero tokens: GET /v1/models, count_tokens, the Admin API)
  --api-url URL        API base URL the checks call (default https://api.anthropic.com)
  --probe-base-url     also probe the ANTHROPIC_BASE_URL your client uses (sends the key there)
  --no-network         no live checks; configuration only
  --timeout MS         per-request timeout (default 10000)

Watching the real program (locally: the stand-in answers 529 and forwards nothing)
  --observe-clients    (check) also watch the SDKs and Claude Code installed here send one request
  --observe-timeout S  stop an observed program after S seconds (default 30)

Output
  --json               only the JSON document on stdout (check)
  --report FILE        save a sanitized Markdown report (mode 0600; never overwrites); - = stdout
  --strict             warnings count as problems for the exit code
  --no-color           no colours (NO_COLOR is honoured too)
  -h, --help           this help
  -v, --version        the version

Exit codes
  0 ok · 1 problem found · 2 usage error · 3 inconclusive (not verified) · 130 cancelled

Keys are shown only as fingerprints (sk-ant-api03-…AbAA (108 chars)) and are sent to the
API under test and nowhere else. Nothing is written except the report you ask for.

Examples
  npx claude-401-wizard
  npx claude-401-wizard check --client sdk --model claude-sonnet-4-5
  npx claude-401-wizard check --json --key-env MY_CI_ANTHROPIC_KEY > diagnosis.json
  npx claude-401-wizard observe -- npm run dev
  pbpaste | npx claude-401-wizard check --error-file - --report claude-401-report.md
  npx claude-401-wizard demo revoked-key
`;
