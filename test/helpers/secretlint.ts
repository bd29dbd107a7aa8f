// secretlint 11 run programmatically over a generated text (recommended preset + the anthropic rule).
import { lintSource } from '@secretlint/core';
import { creator as anthropicRule } from '@secretlint/secretlint-rule-anthropic';
import { creator as recommendPreset } from '@secretlint/secretlint-rule-preset-recommend';

type SecretLintCoreConfig = Parameters<typeof lintSource>[0]['options']['config'];

// The preset bundles an anthropic rule too; secretlint refuses two rules with one id, so the
// standalone package (the one the brief names, possibly newer) runs under its short id. Messages
// at the same place are merged, so each rule set is also run alone to show that each one bites.
export const PRESET: SecretLintCoreConfig['rules'][number] = {
  id: '@secretlint/secretlint-rule-preset-recommend',
  rule: recommendPreset,
};
export const STANDALONE: SecretLintCoreConfig['rules'][number] = {
  id: 'secretlint-rule-anthropic',
  rule: anthropicRule,
};

export async function secretlintMessages(
  content: string,
  filePath: string,
  rules = [PRESET, STANDALONE],
): Promise<string[]> {
  const result = await lintSource({
    source: { content, filePath, contentType: 'text' },
    options: { config: { rules }, maskSecrets: true, noPhysicFilePath: true },
  });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}
