// The first screen: what will be checked, where the key goes, that nothing is saved unasked.
import { Box, Text } from 'ink';
import { OFFICIAL_API } from '../../core/api.js';
import { wrapWords } from '../../core/present.js';
import { dim, glyph, useUi } from '../context.js';
import { Lines, useWidth } from './Lines.js';

const CHECKS =
  'Checks, in order: which key your program really uses and whether its text is intact; whether the API accepts it; ' +
  'the header it is sent in; permissions, model and billing; the workspace; where requests really go.';

export interface IntroProps {
  apiUrl: string;
  demo?: { name: string; title: string; pastedError?: boolean } | null;
}

export function Intro({ apiUrl, demo }: IntroProps) {
  const { look, redact } = useUi();
  const width = useWidth();
  const official = apiUrl.replace(/\/+$/, '') === OFFICIAL_API;
  const d = glyph(look, 'dot');
  // Wrapped as the rest of the screen is (core/present.ts): whole words, no stray leading spaces.
  const para = (text: string) => wrapWords('', redact(text), width);
  const demoLine = demo
    ? `Demo: ${demo.title} (a made-up setup against a local emulator)${
        demo.pastedError ? '. The error its program printed is given as if you had pasted it.' : ''
      }`
    : null;
  return (
    <Box flexDirection="column" marginBottom={1} width="100%">
      <Lines
        lines={para(`claude-401-wizard ${look.unicode ? '—' : '-'} why does the Claude API answer 401?`)}
        bold={look.color}
      />
      {demoLine ? <Lines lines={para(demoLine)} /> : null}
      <Lines lines={para(CHECKS)} />
      <Lines
        lines={para(
          `Your key is sent only to ${apiUrl}${official ? ' (the Anthropic API)' : ''}.` +
            ' Nothing is saved unless you say so.',
        )}
      />
      <Text {...dim(look)}>
        {wrapWords(
          '',
          `${look.unicode ? '↑↓' : 'Arrows'} and Enter choose ${d} Esc goes back ${d} q or Ctrl-C quits`,
          width,
        ).join('\n')}
      </Text>
    </Box>
  );
}
