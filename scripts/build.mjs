// The server as plain JavaScript for `npm start`: src/server.ts bundled by esbuild into
// dist/ (npm packages stay in node_modules). Started through tsx, the server spent about
// 0.9 s of CPU of its start-up in the TypeScript loader (a transform and a loader-thread
// round trip for each of ~350 source files); the bundle loads in one read.
//
//   node scripts/build.mjs        build dist/ now
//   node scripts/start.mjs        build if the sources changed since the last build, then run
//
// Plain JavaScript (not TypeScript) because it must run before anything is compiled.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');
const ENTRY = 'src/server.ts';
const STAMP = 'build-stamp.json';

/** The files a build is made from: every source file and the package manifests. */
function inputs(root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push(full);
    }
  };
  walk(path.join(root, 'src'));
  for (const name of ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs']) {
    const file = path.join(root, name);
    if (fs.existsSync(file)) files.push(file);
  }
  return files.sort();
}

/** Names, sizes and modification times of the inputs: a different value means a rebuild is due. */
export function sourceFingerprint(root = ROOT) {
  const hash = createHash('sha256');
  for (const file of inputs(root)) {
    const st = fs.statSync(file);
    hash.update(`${path.relative(root, file)}\0${st.size}\0${st.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** Bundles the server into outDir (default dist/) and returns the entry file. */
export async function buildServer({ root = ROOT, outDir = path.join(root, 'dist') } = {}) {
  const fingerprint = sourceFingerprint(root);
  // Loaded only when a build is due: starting an up-to-date bundle does not load esbuild.
  const esbuild = await import('esbuild');
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { server: ENTRY },
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // npm packages are loaded from node_modules as before (native modules, their own files).
    packages: 'external',
    // Modules imported on demand (the MongoDB backend, the inbound SMTP listener) stay
    // separate files, loaded only by the instances that use them.
    splitting: true,
    outExtension: { '.js': '.mjs' },
    sourcemap: true,
    logLevel: 'warning',
  });
  fs.writeFileSync(path.join(outDir, STAMP), JSON.stringify({ fingerprint, builtAt: new Date().toISOString() }) + '\n');
  return path.join(outDir, 'server.mjs');
}

/** The bundle's entry file, built first when it is missing or older than the sources. */
export async function ensureServerBuilt({ root = ROOT, outDir = path.join(root, 'dist') } = {}) {
  const entry = path.join(outDir, 'server.mjs');
  try {
    const stamp = JSON.parse(fs.readFileSync(path.join(outDir, STAMP), 'utf8'));
    if (stamp.fingerprint === sourceFingerprint(root) && fs.existsSync(entry)) return entry;
  } catch {
    /* no build yet */
  }
  return buildServer({ root, outDir });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const t0 = performance.now();
  const entry = await buildServer();
  console.log(`built ${path.relative(process.cwd(), entry)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
