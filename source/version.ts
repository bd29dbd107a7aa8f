// The tool's version; build.mjs defines __C401_VERSION__ from package.json.
declare const __C401_VERSION__: string | undefined;
export const VERSION: string = typeof __C401_VERSION__ === 'string' ? __C401_VERSION__ : '0.1.0';
