// `npm start`: runs the server from its JavaScript bundle (scripts/build.mjs), building it
// first when the sources changed since the last build (about a second, once). A deployment
// builds it ahead (`node scripts/build.mjs`, as the Dockerfile does), so a start only loads it.
import { pathToFileURL } from 'node:url';
import { ensureServerBuilt } from './build.mjs';

// Stack traces name the bundle's lines, each under a comment naming its source file. For
// the TypeScript files and lines, start with NODE_OPTIONS=--enable-source-maps (the bundle
// carries a source map); not the default: reading the map added about 0.3 s to every start.
let entry = null;
try {
  entry = await ensureServerBuilt();
} catch (err) {
  // A bundle that cannot be written (a read-only install with outdated dist/) must not stop
  // the forum: it runs from the sources as before, only slower to start.
  console.error(`The server bundle could not be built (${err instanceof Error ? err.message : err}); starting from the TypeScript sources.`);
}
if (entry) {
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/server.ts');
}
