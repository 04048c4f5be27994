import v8 from 'node:v8';

/*
 * How far V8 lets the old generation grow past what the last full collection kept before it
 * collects again. V8 picks the factor itself, up to 4x on a machine with memory to spare,
 * from how fast the program allocates compared with how fast it collects. A search allocates
 * a few MB of short-lived candidates and some of them outlive two scavenges, so under the
 * benchmark's search load the old generation filled with such garbage up to 3-4x the ~70 MB
 * that was live (heap 280-306 MB, peak RSS 440-490 MiB), although a full collection would
 * have freed it. Capping the factor bounds the heap at about (1 + percent/100) x live.
 *
 * The flag is read by V8 at every full collection (heap-controller.cc), so setting it once at
 * start-up, before the first request, is enough; it is not one of the flags NODE_OPTIONS may
 * carry, and a deployment that starts `node` some other way still gets it this way.
 */

/** Sets V8's heap growing factor to 1 + percent/100; 0 leaves V8's own choice. */
export function limitHeapGrowth(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0) throw new RangeError(`heap growth must be a whole number of percent, 0 or more (got ${percent})`);
  if (percent === 0) return;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
