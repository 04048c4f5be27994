import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from '../../src/runtime/heap-growth.js';

/*
 * HEAP_GROWTH_PERCENT (src/runtime/heap-growth.ts) bounds how much promoted garbage the old
 * generation may hold before V8 collects it: the server's peak memory under search load. Each
 * case runs a fresh process (a V8 flag lives for the whole process) with the same workload:
 * a fixed live set plus objects that survive long enough to be promoted, then die.
 */

const run = promisify(execFile);
const child = path.resolve(import.meta.dirname, '../fixtures/heap-growth-child.ts');

async function oldGeneration(percent: number): Promise<{ live: number; most: number }> {
  const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', child, String(percent)], { cwd: path.resolve(import.meta.dirname, '../..') });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { live: number; most: number };
}

describe('limitHeapGrowth', () => {
  it('keeps the old generation far below what V8 alone lets promoted garbage reach', async () => {
    const [own, limited] = await Promise.all([oldGeneration(0), oldGeneration(100)]);
    // The same live set in both processes.
    expect(Math.abs(own.live - limited.live)).toBeLessThan(0.1 * own.live);
    // Measured: V8 alone ~7x the fixed live set, limited ~4.3x (twice what is live while
    // churning: the fixed set plus the batches not yet dropped, plus V8's minimum step).
    expect(limited.most).toBeLessThan(0.8 * own.most);
    expect(limited.most).toBeLessThan(6 * limited.live);
  }, 60_000);

  it('refuses a negative or fractional percentage instead of passing it to V8', () => {
    expect(() => limitHeapGrowth(-1)).toThrow(RangeError);
    expect(() => limitHeapGrowth(12.5)).toThrow(RangeError);
  });
});
