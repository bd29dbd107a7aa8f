// The end of a run: the verdict and the cause in one sentence, network trouble, what to do — the
// fix list of the report, each command whole and copyable (core/present.ts fixLayout).
import { Box } from 'ink';
import { fixLayout, groupFindings, mark, markedLines, summaryLines, VERDICT_WORDS } from '../../core/present.js';
import { fixSteps } from '../../core/report.js';
import type { Diagnosis, StepStatus, Verdict } from '../../core/types.js';
import { glyph, useUi } from '../context.js';
import { FindingBlock } from './FindingBlock.js';
import { Lines, useWidth } from './Lines.js';

/** Fix steps shown on screen; the report has all of them. */
export const SUMMARY_FIXES = 4;

const VERDICT_MARK: Record<Verdict, StepStatus> = { ok: 'pass', problem: 'fail', inconclusive: 'warn' };

export function Summary({ diagnosis: d }: { diagnosis: Diagnosis }) {
  const { look, redact } = useUi();
  const width = useWidth();
  const network = d.findings.filter((f) => f.step === 'network' && f.severity !== 'info');
  // The same fix steps, in the same order, as the report's summary.
  const fixes = d.verdict === 'ok' ? [] : fixSteps(d);
  const o = { plain: redact, width, indent: 0 };
  const verdict = summaryLines(mark(VERDICT_MARK[d.verdict], look), `${VERDICT_WORDS[d.verdict]}: ${d.summary}`, o);
  const todo = fixes.slice(0, SUMMARY_FIXES).flatMap((line, i) => fixLayout(`  ${i + 1}. `, redact(line), width));
  return (
    <Box flexDirection="column" marginTop={1} width="100%">
      {network.length > 0 ? (
        <Box flexDirection="column" width="100%">
          <Lines lines={markedLines(mark('warn', look), 'Network', o)} />
          {groupFindings(network).map((g) => (
            <FindingBlock key={g.id} finding={g} />
          ))}
        </Box>
      ) : null}
      <Lines lines={verdict} bold={look.color} />
      {fixes.length > 0 ? (
        <Box flexDirection="column" width="100%">
          <Lines lines={['What to do:', ...todo]} />
          {fixes.length > SUMMARY_FIXES ? (
            <Lines lines={[`  ${glyph(look, 'dot')} ${fixes.length - SUMMARY_FIXES} more in the report`]} />
          ) : null}
        </Box>
      ) : null}
    </Box>
  );
}
