// The end of a run: the verdict and the cause in one sentence, network trouble, what to do.
import { Box, Text } from 'ink';
import { groupFindings, mark, VERDICT_WORDS } from '../../core/present.js';
import { fixSteps } from '../../core/report.js';
import type { Diagnosis, StepStatus, Verdict } from '../../core/types.js';
import { glyph, useUi } from '../context.js';
import { FindingBlock } from './FindingBlock.js';

/** Fix steps shown on screen; the report has all of them. */
export const SUMMARY_FIXES = 4;

const VERDICT_MARK: Record<Verdict, StepStatus> = { ok: 'pass', problem: 'fail', inconclusive: 'warn' };

export function Summary({ diagnosis: d }: { diagnosis: Diagnosis }) {
  const { look, redact } = useUi();
  const network = d.findings.filter((f) => f.step === 'network' && f.severity !== 'info');
  // The same fix steps, in the same order, as the report's summary.
  const fixes = d.verdict === 'ok' ? [] : fixSteps(d);
  return (
    <Box flexDirection="column" marginTop={1}>
      {network.length > 0 ? (
        <Box flexDirection="column">
          <Text>
            {mark('warn', look)} <Text bold={look.color}>Network</Text>
          </Text>
          {groupFindings(network).map((g) => (
            <FindingBlock key={g.id} finding={g} />
          ))}
        </Box>
      ) : null}
      <Text bold={look.color}>
        {mark(VERDICT_MARK[d.verdict], look)} {VERDICT_WORDS[d.verdict]}: {redact(d.summary)}
      </Text>
      {fixes.length > 0 ? (
        <Box flexDirection="column">
          <Text>What to do:</Text>
          {fixes.slice(0, SUMMARY_FIXES).map((line, i) => (
            <Box key={i} paddingLeft={2}>
              <Text>{`${i + 1}. `}</Text>
              <Box flexShrink={1}>
                <Text>{redact(line)}</Text>
              </Box>
            </Box>
          ))}
          {fixes.length > SUMMARY_FIXES ? (
            <Text>{`  ${glyph(look, 'dot')} ${fixes.length - SUMMARY_FIXES} more in the report`}</Text>
          ) : null}
        </Box>
      ) : null}
    </Box>
  );
}
