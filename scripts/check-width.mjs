// Fails when a source line is wider than Prettier's printWidth: Prettier does not split long strings or
// comments, so this is the check that keeps every line readable (and every diff reviewable) at that width.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const width = JSON.parse(readFileSync('.prettierrc.json', 'utf8')).printWidth;
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => /^(source|test|bench|scripts)\/.*\.(ts|tsx|mjs|js)$/.test(f) || /^[^/]+\.(ts|js|mjs)$/.test(f));
const wide = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // listed by git but deleted in the work tree
  }
  text.split('\n').forEach((line, i) => {
    if ([...line].length > width) wide.push(`${file}:${i + 1}: ${[...line].length} columns`);
  });
}
if (wide.length > 0) {
  process.stderr.write(`${wide.length} line(s) wider than ${width} columns:\n${wide.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`check-width: ${files.length} files, no line wider than ${width} columns\n`);
