// A choice list (ink-select-input) in the run's look: the pointer marks the choice, colour only
// repeats it.
import { Box, Text } from 'ink';
import SelectInput from 'ink-select-input';
import { glyph, tone, useUi } from '../context.js';

export interface SelectProps {
  choices: { value: string; label: string }[];
  onSelect: (value: string) => void;
}

// A fixed-width pointer column and a shrinking label box: a long label wraps under itself,
// not under the pointer.
function Indicator({ isSelected }: { isSelected?: boolean }) {
  const { look } = useUi();
  const pointer = glyph(look, 'pointer');
  return (
    <Box width={pointer.length + 1} flexShrink={0}>
      <Text {...(isSelected ? tone(look, 'cyan') : {})}>{isSelected ? pointer : ' '}</Text>
    </Box>
  );
}

function Item({ isSelected, label }: { isSelected?: boolean; label: string }) {
  const { look } = useUi();
  return (
    <Box flexShrink={1}>
      <Text {...(isSelected ? tone(look, 'cyan') : {})}>{label}</Text>
    </Box>
  );
}

export function Select({ choices, onSelect }: SelectProps) {
  const { redact } = useUi();
  const items = choices.map((c) => ({ key: c.value, value: c.value, label: redact(c.label) }));
  return (
    <SelectInput
      items={items}
      indicatorComponent={Indicator}
      itemComponent={Item}
      onSelect={(item) => onSelect(item.value)}
    />
  );
}
