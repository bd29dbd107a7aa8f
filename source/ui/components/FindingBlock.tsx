// One finding under a failed step: title (id), the evidence, and the fix lines to run — laid out
// as `check` lays them out (core/present.ts findingLines): wrapped, every command copyable.
import { findingLines, type FindingGroup } from '../../core/present.js';
import { useUi } from '../context.js';
import { Lines, useWidth } from './Lines.js';

/** One cause (a finding id) with every piece of evidence for it, and its fix lines once. */
export function FindingBlock({ finding, indent = 2 }: { finding: FindingGroup; indent?: number }) {
  const { look, redact } = useUi();
  const width = useWidth();
  return <Lines lines={findingLines(finding, look, { plain: redact, width, indent })} />;
}
