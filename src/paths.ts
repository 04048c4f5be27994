import fs from 'node:fs';
import path from 'node:path';

/*
 * The project folder (the one holding package.json, views/ and static/), found by walking up
 * from this module's folder. The server runs from two places: the TypeScript sources in src/
 * (tests, `npm run dev`) and the bundle `npm start` builds into dist/ (scripts/build.mjs).
 * A path written relative to one source file ('../../views') is wrong in the other.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; ) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
}

export const projectRoot = findProjectRoot(import.meta.dirname);
