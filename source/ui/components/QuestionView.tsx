// A question from the machine, rendered by its input kind. The answer goes back as is (a secret
// goes through the App, which registers it with the redactor before anything else happens).
import { Box, Text } from 'ink';
import type { Question } from '../../core/machine.js';
import { dim, glyph, tone, useUi } from '../context.js';
import { MultilineField } from './MultilineField.js';
import { SecretField } from './SecretField.js';
import { Select } from './Select.js';
import { TextField } from './TextField.js';

export interface QuestionViewProps {
  question: Question;
  onAnswer: (value: string) => void;
  onSkip: () => void;
  /** Whether Esc can go back (there is an earlier question). */
  canGoBack: boolean;
}

export function QuestionView({ question, onAnswer, onSkip, canGoBack }: QuestionViewProps) {
  const { look, redact } = useUi();
  const d = glyph(look, 'dot');
  const back = canGoBack ? ` ${d} Esc back` : '';
  let field;
  let keys: string;
  switch (question.input) {
    case 'select':
      field = <Select choices={question.choices ?? []} onSelect={onAnswer} />;
      keys = `${look.unicode ? '↑↓' : 'Arrows'} and Enter${back} ${d} q quit`;
      break;
    case 'text':
      field = <TextField onSubmit={(v) => (v.trim() === '' ? onSkip() : onAnswer(v))} />;
      keys = `Enter submits; Enter alone skips${back} ${d} Ctrl-C quit`;
      break;
    case 'multiline':
      field = <MultilineField onSubmit={onAnswer} onSkip={onSkip} />;
      keys = `Ctrl-D or an empty line finishes${back} ${d} Ctrl-C quit`;
      break;
    case 'secret':
      field = <SecretField onSubmit={onAnswer} onSkip={onSkip} />;
      keys = `Not shown while you type${back} ${d} Ctrl-C quit`;
      break;
    default: {
      const never: never = question.input;
      return never;
    }
  }
  return (
    <Box flexDirection="column" paddingLeft={2}>
      <Text bold={look.color} {...tone(look, 'cyan')}>
        {redact(question.prompt)}
      </Text>
      {question.hint ? <Text {...dim(look)}>{redact(question.hint)}</Text> : null}
      <Box paddingLeft={1}>{field}</Box>
      <Text {...dim(look)}>{keys}</Text>
    </Box>
  );
}
