// Whether and where to save the report: the one question a finished run waits for.
import { basename } from 'node:path';
import { Box, Text } from 'ink';
import { dim, glyph, tone, useUi } from '../context.js';
import { Select } from './Select.js';
import { TextField } from './TextField.js';

export type SaveChoice = 'default' | 'other' | 'no';

export interface SavePromptProps {
  defaultPath: string;
  /** The default is not in the working directory, which is in a git work tree: say why. */
  outside?: boolean;
  entering: boolean;
  error: string | null;
  onChoose: (choice: SaveChoice) => void;
  onPath: (path: string) => void;
}

export function SavePrompt({ defaultPath, outside = false, entering, error, onChoose, onPath }: SavePromptProps) {
  const { look, redact } = useUi();
  const d = glyph(look, 'dot');
  return (
    <Box flexDirection="column" marginTop={1}>
      {error ? <Text {...tone(look, 'red')}>{`${look.unicode ? '✗' : '[FAIL]'} ${redact(error)}`}</Text> : null}
      <Text bold={look.color} {...tone(look, 'cyan')}>
        Save a report? (Markdown, keys shown only as fingerprints, file readable only by you)
      </Text>
      {entering ? (
        <Box flexDirection="column" paddingLeft={1}>
          <Text>{`File or folder (a folder gets ${redact(basename(defaultPath))}):`}</Text>
          <TextField onSubmit={onPath} />
          <Text {...dim(look)}>{`Enter saves; Enter alone goes back ${d} Esc back ${d} Ctrl-C quit`}</Text>
        </Box>
      ) : (
        <Box flexDirection="column" paddingLeft={1}>
          <Select
            choices={[
              {
                value: 'default',
                label: `Save to ${defaultPath}${outside ? ' (not in this project: it is a git work tree)' : ''}`,
              },
              { value: 'other', label: `Save somewhere else${look.unicode ? '…' : '...'}` },
              { value: 'no', label: "Don't save" },
            ]}
            onSelect={(v) => onChoose(v as SaveChoice)}
          />
          <Text {...dim(look)}>{`${look.unicode ? '↑↓' : 'Arrows'} and Enter ${d} q quit`}</Text>
        </Box>
      )}
    </Box>
  );
}
