// core/semver.ts against node-semver 7 (in the dev tree, never a runtime dependency): the oracle
// is npm's own implementation, so these tests share no code with what they check.
import fc from 'fast-check';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { bandOfHighest, maxSatisfying, parseRange, parseVersion, satisfies } from '../../source/core/semver.js';

const small = fc.integer({ min: 0, max: 3 });
const pre = fc.oneof(fc.constant(''), fc.constantFrom('-0', '-beta', '-beta.2', '-rc.1', '-alpha.beta', '-1'));
const version = fc.tuple(small, small, small, pre).map(([a, b, c, p]) => `${a}.${b}.${c}${p}`);
const part = fc.oneof(small.map(String), fc.constantFrom('x', '*'));
const partial = fc.oneof(
  version,
  fc.tuple(small, part).map(([a, b]) => `${a}.${b}`),
  small.map(String),
  fc.tuple(small, small, part).map(([a, b, c]) => `${a}.${b}.${c}`),
);
const op = fc.constantFrom('', '^', '~', '>=', '>', '<=', '<', '=', '>= ');
const comparator = fc.tuple(op, partial).map(([o, p]) => `${o}${p}`);
const set = fc.oneof(
  fc.array(comparator, { minLength: 1, maxLength: 3 }).map((cs) => cs.join(' ')),
  fc.tuple(partial, partial).map(([a, b]) => `${a} - ${b}`),
);
const range = fc.array(set, { minLength: 1, maxLength: 3 }).map((sets) => sets.join(' || '));

describe('semver: npm semantics', () => {
  it('satisfies agrees with node-semver on generated versions and ranges', () => {
    fc.assert(
      fc.property(version, range, (v, r) => {
        expect(satisfies(v, r), `${v} in ${r}`).toBe(semver.satisfies(v, r));
      }),
      { numRuns: 3000 },
    );
  });

  it('maxSatisfying agrees with node-semver', () => {
    fc.assert(
      fc.property(fc.array(version, { maxLength: 8 }), range, (vs, r) => {
        const ours = maxSatisfying(vs, r);
        const theirs = semver.maxSatisfying(vs, r);
        expect(ours === null ? null : semver.clean(ours), `${r} over ${vs.join(',')}`).toBe(
          theirs === null ? null : semver.clean(theirs),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('the forms package.json files use', () => {
    expect(satisfies('1.17.0', '^0.60.0 || ^1.0.0')).toBe(true);
    expect(satisfies('0.122.0', '^0.60.0')).toBe(false);
    expect(satisfies('0.60.5', '~0.60.0')).toBe(true);
    expect(satisfies('1.2.3', 'v1.2.3')).toBe(true);
    expect(satisfies('2.0.0', '1.2 - 2')).toBe(true);
    expect(satisfies('3.0.0', '1.2 - 2')).toBe(false);
    expect(satisfies('1.0.0-beta', '^1.0.0')).toBe(false);
    expect(satisfies('1.0.0-beta.3', '>=1.0.0-beta.2 <2')).toBe(true);
    expect(parseRange('latest')).toBeNull();
    expect(parseRange('workspace:*')).toBeNull();
    expect(parseRange('github:anthropics/anthropic-sdk-typescript')).toBeNull();
    expect(parseVersion('1.2')).toBeNull();
    expect(parseVersion('1.17.0')).toEqual({ major: 1, minor: 17, patch: 0, pre: [] });
  });
});

describe('bandOfHighest: the band of the version npm install would bring', () => {
  const bands = [
    { range: '<1.0.0', value: '0.x' },
    { range: '>=1.0.0', value: '1.x' },
  ];
  it.each([
    ['>=0.60.0', '1.x'],
    ['^0.60.0 || ^1.0.0', '1.x'],
    ['^0.60.0', '0.x'],
    ['~0.137.0', '0.x'],
    ['>=0.50.0 <2.0.0', '1.x'],
    ['>=0.50.0 <1', '0.x'],
    ['<1.0.0', '0.x'],
    ['<=1.0.0', '1.x'],
    ['*', '1.x'],
    ['', '1.x'],
    ['1.x', '1.x'],
    ['0.x || 0.137.0', '0.x'],
    ['0.122.0 - 0.137.0', '0.x'],
    ['0.122.0 - 1', '1.x'],
    ['^2.0.0', '1.x'],
  ])('%s → %s', (r, band) => {
    expect(bandOfHighest(r, bands)).toBe(band);
  });
  it('nothing for what npm does not read as a range', () => {
    expect(bandOfHighest('latest', bands)).toBeNull();
    expect(bandOfHighest('>2 <1', bands)).toBeNull();
  });
});
