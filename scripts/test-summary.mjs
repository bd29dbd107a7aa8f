// Prints vitest's totals as one plain line ("tests: N passed, N failed, N skipped") so a CI log
// reader that does not know vitest's format still sees what ran. Reads vitest's JSON report.
import { readFileSync, rmSync } from 'node:fs';

const file = process.argv[2] ?? '.vitest-result.json';
const r = JSON.parse(readFileSync(file, 'utf8'));
rmSync(file, { force: true });
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
process.exitCode = r.numFailedTests === 0 && r.numTotalTests > 0 ? 0 : 1;
