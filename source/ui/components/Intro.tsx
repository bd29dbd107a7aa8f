// The first screen: what will be checked, where the key goes, that nothing is saved unasked.
import { Box, Text } from 'ink';
import { OFFICIAL_API } from '../../core/api.js';
import { dim, glyph, useUi } from '../context.js';

const CHECKS =
  'Checks, in order: which key your program really uses and whether its text is intact; whether the API accepts it; ' +
  'the header it is sent in; permissions, model and billing; the workspace; where requests really go.';

export interface IntroProps {
  apiUrl: string;
  demo?: { name: string; title: string; pastedError?: boolean } | null;
}

export function Intro({ apiUrl, demo }: IntroProps) {
  const { look, redact } = useUi();
  const official = apiUrl.replace(/\/+$/, '') === OFFICIAL_API;
  const d = glyph(look, 'dot');
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold={look.color}>claude-401-wizard {look.unicode ? '—' : '-'} why does the Claude API answer 401?</Text>
      {demo ? (
        <Text>
          Demo: {redact(demo.title)} (a made-up setup against a local emulator)
          {demo.pastedError ? '. The error its program printed is given as if you had pasted it.' : ''}
        </Text>
      ) : null}
      <Text>{CHECKS}</Text>
      <Text>{`Your key is sent only to ${redact(apiUrl)}${official ? ' (the Anthropic API)' : ''}. Nothing is saved unless you say so.`}</Text>
      <Text
        {...dim(look)}
      >{`${look.unicode ? '↑↓' : 'Arrows'} and Enter choose ${d} Esc goes back ${d} q or Ctrl-C quits`}</Text>
    </Box>
  );
}
