// node-semver 7 is in the dev tree (a dependency of the toolchain), without its own types: the
// part the tests use as an oracle for source/core/semver.ts. Never imported by source/.
declare module 'semver' {
  function satisfies(version: string, range: string): boolean;
  function maxSatisfying(versions: readonly string[], range: string): string | null;
  function clean(version: string): string | null;
  const semver: { satisfies: typeof satisfies; maxSatisfying: typeof maxSatisfying; clean: typeof clean };
  export default semver;
}
