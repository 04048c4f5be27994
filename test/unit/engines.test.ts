/*
 * `npm install` must not warn EBADENGINE on the Node version the project declares: every
 * package in the lockfile has to accept the oldest Node that package.json's engines allow
 * (npm compares each package's engines.node with the running Node and warns on a mismatch).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: Record<string, string> | string[] }>;
};

describe('Node engines', () => {
  const oldest = semver.minVersion(pkg.engines.node)!.version;

  it('declares Node 20.19 or later and the README names it', () => {
    expect(oldest).toBe('20.19.0');
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toMatch(/Node\.js 20\.19/);
  });

  it('has no package in the lockfile that refuses that Node (no EBADENGINE warning)', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([name]) => name !== '')
      .flatMap(([name, entry]) => {
        const range = entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;
        return range && !semver.satisfies(oldest, range) ? [`${name}@${entry.version}: node ${range}`] : [];
      });
    expect(refusing).toEqual([]);
  });

  it('lists the packages npm checks (the lockfile is the one npm install wrote)', () => {
    expect(Object.keys(lock.packages).length).toBeGreaterThan(100);
    const versionsOf = (name: string) => Object.entries(lock.packages).filter(([key]) => key.endsWith(`node_modules/${name}`)).map(([, e]) => e.version);
    expect(versionsOf('cookie').length).toBeGreaterThan(0);
    expect(versionsOf('cookie').every((v) => v?.startsWith('1.'))).toBe(true);
    expect(versionsOf('content-disposition').every((v) => v?.startsWith('2.'))).toBe(true);
  });
});
