// A grammar-level reader of generated text (reports, screens): what a careful engineer would not
// write. Independent of the code that writes the text: plain patterns over the finished string.

/** Prose only: fenced blocks, code spans, URLs, paths and table separators taken out. */
function prose(md: string): string[] {
  const noFences = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
  return noFences
    .split('\n')
    .filter((l) => !/^\|?\s*-{3}/.test(l))
    .map((l) =>
      l
        .replace(/`+[^`]*`+/g, 'CODE')
        .replace(/\bhttps?:\/\/\S+/g, 'URL')
        .replace(/(^|\s)[~.]?\/[^\s|)]+/g, '$1PATH')
        .replace(/\b[\w.-]+\.(json|md|env|ts|js|lock|txt|toml)\b/g, 'FILE'),
    );
}

export interface Problem {
  rule: string;
  line: string;
}

const RULES: [string, RegExp][] = [
  ['doubled word', /\b(\w{2,})\s+\1\b/i],
  ['doubled phrase', /\b(\w+ \w+)\s+\1\b/i],
  ['empty slot: two spaces inside a sentence', /\S {2,}(?=[^\s|#])/],
  ['empty slot: space before punctuation', /\w \.(\s|$)| ,| ;/],
  // `load_dotenv()` is a call; `- [ ]` a checklist box.
  ['empty slot: empty brackets or quotes', /(?<![\w.])\(\s*\)|(?<!^- )\[\s*\](?!\()|""|“”/],
  ['unfilled template', /\$\{|\{[a-z_]+\}|\bundefined\b|\bNaN\b|\[object Object\]/],
  ['a null in prose', /\bnull\b(?!\))/],
  ['lower-case api as a word', /(^|[^\w./:-])api(?=[\s,;)]|\.(\s|$)|$)/],
  ['a sentence without its object', /\b(the|a|an|find|named)\s*[.:;]\s*$/i],
  ['stutter in punctuation', /(?<!\.)\.\.(?!\.)|,,|::\s/],
];

/** Every rule broken in the prose of `md`, with the line that breaks it. */
export function grammarProblems(md: string): Problem[] {
  const out: Problem[] = [];
  for (const line of prose(md)) {
    for (const [rule, re] of RULES) {
      // Tables hold two spaces as padding and "|" separators: check each cell alone.
      const parts = line.startsWith('|') ? line.split('|').map((c) => c.trim()) : [line];
      for (const part of parts) if (re.test(part)) out.push({ rule, line });
    }
  }
  return out;
}
