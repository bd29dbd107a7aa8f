// Temporary HOME and project trees for the discovery tests.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];
afterEach(() => {
  while (made.length) rmSync(made.pop()!, { recursive: true, force: true });
});

export interface Sandbox {
  root: string;
  home: string;
  /** A project two levels below home: ~/code/app */
  project: string;
  /** Write a file (parents created); relative paths are taken from `root`. */
  write(file: string, content: string | Buffer): string;
  mkdir(dir: string): string;
  symlink(target: string, file: string): string;
}

export function sandbox(): Sandbox {
  const root = mkdtempSync(path.join(tmpdir(), 'c401-io-'));
  made.push(root);
  const abs = (p: string) => (path.isAbsolute(p) ? p : path.join(root, p));
  const home = path.join(root, 'home', 'u');
  const project = path.join(home, 'code', 'app');
  mkdirSync(project, { recursive: true });
  return {
    root,
    home,
    project,
    write(file, content) {
      const p = abs(file);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, content);
      return p;
    },
    mkdir(dir) {
      const p = abs(dir);
      mkdirSync(p, { recursive: true });
      return p;
    },
    symlink(target, file) {
      const p = abs(file);
      mkdirSync(path.dirname(p), { recursive: true });
      symlinkSync(target, p);
      return p;
    },
  };
}

/** Whether any 8-character window of `secret` (after its public prefix) occurs in `text`. */
export function leaksWindow(text: string, secret: string, prefixLength = 0): boolean {
  const body = secret.slice(prefixLength);
  for (let i = 0; i + 8 <= body.length; i++) if (text.includes(body.slice(i, i + 8))) return true;
  return false;
}
