// Hand-built Discovery objects for the pure engine's tests.
import type { Candidate, Discovery, EnvironmentInfo, Options } from '../../source/core/types.js';
import { defaultOptions } from '../../source/core/args.js';

export function discovery(partial: Partial<Discovery> = {}): Discovery {
  return {
    cwd: '/work/project',
    home: '/home/user',
    platform: 'linux',
    candidates: [],
    env: {},
    claudeSettingsEnv: [],
    approvedKeySuffixes: [],
    rejectedKeySuffixes: [],
    dotenvFiles: [],
    clients: [],
    leaks: [],
    notes: [],
    ...partial,
  };
}

export function envCandidate(name: string, value: string): Candidate {
  return { source: `env:${name}`, origin: 'env', name, value };
}

export const ENVIRONMENT: EnvironmentInfo = {
  toolVersion: '0.1.0',
  os: 'linux 6.1.0 x64',
  node: 'v20.20.2',
  shell: 'bash',
  terminal: 'xterm-256color',
  ci: false,
  proxy: null,
  claudeCodeVersion: null,
  timezone: 'UTC',
};

export function options(partial: Partial<Options> = {}): Options {
  return { ...defaultOptions(), apiUrl: 'http://127.0.0.1:1', ...partial };
}

/** A deterministic 0..1 source (mulberry32) for fakeKey, so fast-check can replay a failing key. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
