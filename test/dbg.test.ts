import { it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { grammarProblems } from './helpers/grammar.js';
const demos = ['trailing-newline','revoked-key','bearer-header','new-key','disabled-org','gateway-base-url','sdk-upgrade-gateway','credit-exhausted','oauth-no-beta'];
it('dbg', () => {
  for (const d of demos) {
    let md = '';
    try { md = execFileSync('node', ['dist/cli.js', 'demo', d, '--report', '-'], { env: { ...process.env, CI: 'true' }, encoding: 'utf8', stdio: ['ignore','pipe','ignore'] }); } catch (e: any) { md = e.stdout; }
    md = md.slice(md.indexOf('# Claude API'));
    for (const p of grammarProblems(md)) console.log(d, '|', p.rule, '|', p.line.slice(0, 200));
  }
}, 120000);
