/** Shared command-line helpers for the generate and bench scripts. */

export function refuseProduction(force: boolean, what: string): void {
  if (process.env.NODE_ENV === 'production' && !force) {
    console.error(`Refusing to ${what} with NODE_ENV=production. This script writes a throw-away benchmark database; pass --force if you really mean it.`);
    process.exit(2);
  }
}

export function positiveInt(name: string, raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined) return fallback;
  const cleaned = raw.replace(/[_,]/g, '');
  if (!/^\d+$/.test(cleaned) || Number(cleaned) < min) {
    console.error(`--${name} must be a whole number >= ${min} (got "${raw}")`);
    process.exit(2);
  }
  return Number(cleaned);
}
