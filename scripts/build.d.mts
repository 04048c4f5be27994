// Types for scripts/build.mjs (plain JavaScript: it runs before anything is compiled).
export interface BuildOptions {
  /** The project folder (default: the one holding scripts/). */
  root?: string;
  /** Where the bundle goes (default: <root>/dist). */
  outDir?: string;
}
export function sourceFingerprint(root?: string): string;
export function buildServer(options?: BuildOptions): Promise<string>;
export function ensureServerBuilt(options?: BuildOptions): Promise<string>;
