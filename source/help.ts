// --help text. Keep in step with ../shared/design/cli-contract.md and readme.md. Every line fits
// 80 columns (test/cli checks it).
export const HELP = `claude-401-wizard — why does the Claude API, an SDK or Claude Code say 401?

Usage
  claude-401-wizard               the interactive wizard (in a terminal;
                                  otherwise it runs check)
  claude-401-wizard check [opts]  the same diagnosis, no questions (scripts, CI)
  claude-401-wizard observe [opts] -- COMMAND [ARG…]
                                  run your failing COMMAND once against a local
                                  stand-in of the API, record what it sends,
                                  and diagnose with that
  claude-401-wizard demo [NAME]   try it on a made-up broken setup (no key)
  claude-401-wizard demo --list   name the demo setups

What to diagnose
  --client NAME         the program that gets the 401: claude-code, sdk, curl,
                        other, auto (default: Claude Code and the SDKs)
  --error TEXT          the error you saw (SDK, Claude Code or curl output)
  --error-file FILE     the same, from a file (- reads stdin)
  --key-env NAME        also diagnose the key in env var NAME (CI secrets)
  --project DIR         read .env files, settings and SDKs from DIR
  --model ID            the model you call (checked with GET /v1/models/ID)
  --key-age MINUTES     how long ago the key was created
  --wait SECONDS        re-check a possibly new, rejected key for up to SECONDS
  --provider NAME       where requests should go: anthropic, bedrock, vertex,
                        foundry
  --admin-key-env NAME  read an Admin API key from env var NAME (key status)

Live checks (zero tokens: GET /v1/models, count_tokens, the Admin API)
  --api-url URL         the API the checks call
                        (default https://api.anthropic.com)
  --probe-base-url      also probe your ANTHROPIC_BASE_URL (sends the key there)
  --no-network          no live checks; configuration only
  --timeout MS          per-request timeout (default 10000)

Watching the real program (locally: a stand-in answers, nothing is forwarded)
  --observe-clients     (check) also watch the SDKs and Claude Code installed
                        here send one request
  --observe-timeout S   stop an observed program after S seconds (default 30)

Output
  --json                only the JSON document on stdout (check)
  --report FILE         save a sanitized Markdown report (0600); - = stdout
  --strict              warnings count as problems for the exit code
  --no-color            no colour (NO_COLOR too; FORCE_COLOR forces it)
  -h, --help            this help
  -v, --version         the version

Exit codes
  0 ok, 1 problem found, 2 usage error, 3 inconclusive (not verified),
  130 cancelled

Keys are shown only as fingerprints (sk-ant-api03-…AbAA (108 chars)) and are
sent to the API under test and nowhere else. Nothing is written except the
report you ask for.

Examples
  npx claude-401-wizard
  npx claude-401-wizard check --client sdk --model claude-sonnet-4-5
  npx claude-401-wizard check --json > diagnosis.json
  npx claude-401-wizard observe -- npm run dev
  pbpaste | npx claude-401-wizard check --error-file -
  npx claude-401-wizard demo revoked-key
`;
