// A choice list (ink-select-input) in the run's look: the pointer marks the choice, colour only
// repeats it.
import { Text } from 'ink';
import SelectInput from 'ink-select-input';
import { glyph, tone, useUi } from '../context.js';

export interface SelectProps {
  choices: { value: string; label: string }[];
  onSelect: (value: string) => void;
}

function Indicator({ isSelected }: { isSelected?: boolean }) {
  const { look } = useUi();
  return <Text {...(isSelected ? tone(look, 'cyan') : {})}>{isSelected ? `${glyph(look, 'pointer')} ` : '  '}</Text>;
}

function Item({ isSelected, label }: { isSelected?: boolean; label: string }) {
  const { look } = useUi();
  return <Text {...(isSelected ? tone(look, 'cyan') : {})}>{label}</Text>;
}

export function Select({ choices, onSelect }: SelectProps) {
  const { redact } = useUi();
  const items = choices.map((c) => ({ key: c.value, value: c.value, label: redact(c.label) }));
  return <SelectInput items={items} indicatorComponent={Indicator} itemComponent={Item} onSelect={(item) => onSelect(item.value)} />;
}
