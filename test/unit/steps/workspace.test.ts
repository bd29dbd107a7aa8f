// Step 5, workspace: the workspace the key resolves to, the Admin look-up, the Console's word.
import { describe, expect, it } from 'vitest';
import { reduce, start } from '../../../source/core/machine.js';
import { fakeKey } from '../../../source/emulator/keys.js';
import { feed, ids, input, nextProbe } from '../../helpers/machine.js';

describe('workspace', () => {
  it('the key resolves to another workspace than the one expected: workspace.mismatch', () => {
    let s = start(
      input({
        env: { ANTHROPIC_API_KEY: fakeKey('api') },
        answers: { workspace_expected: 'wrkspc_expected' },
      }),
    );
    s = feed(s, 200, null, { workspaceId: 'wrkspc_actual' });
    while (nextProbe(s)) s = feed(s, 200);
    const f = s.findings.find((x) => x.id === 'workspace.mismatch');
    expect(f?.detail).toBe('The key resolves to workspace wrkspc_actual, but your answer expects wrkspc_expected.');
    expect(s.steps.find((x) => x.id === 'workspace')?.status).toBe('fail');
  });

  it('with an Admin key the key record is looked up, and its findings and notes are kept', () => {
    const key = fakeKey('api');
    let s = start(input({ env: { ANTHROPIC_API_KEY: key }, adminKey: fakeKey('admin') }));
    s = feed(s, 401, 'invalid x-api-key');
    expect(s.pending.type).toBe('admin');
    if (s.pending.type !== 'admin') return;
    expect(s.pending.request.value).toBe(key);
    s = reduce(s, {
      type: 'adminFinished',
      outcome: {
        findings: [],
        notes: ['key record found'],
        workspace: { id: 'wrkspc_1', name: 'Team', archived: true },
      },
    });
    expect(s.notes).toContain('key record found');
    expect(s.steps.find((x) => x.id === 'workspace')?.note).toBe('workspace Team (archived)');
  });

  it('without an Admin key a rejected key gets admin.unavailable with the Console steps', () => {
    let s = start(input({ env: { ANTHROPIC_API_KEY: fakeKey('api') } }));
    s = feed(s, 401, 'invalid x-api-key');
    expect(ids(s)).toContain('admin.unavailable');
  });

  it('what the Console shows is a finding: archived → key.inactive with the archived fix', () => {
    let s = start(input({ env: { ANTHROPIC_API_KEY: fakeKey('api') }, answers: { console_status: 'archived' } }));
    s = feed(s, 401, 'invalid x-api-key');
    const f = s.findings.find((x) => x.id === 'key.inactive');
    expect(f?.fix).toEqual(['Archived keys cannot be restored: create a new key.']);
    expect(ids(s)).not.toContain('admin.unavailable');
  });
});
