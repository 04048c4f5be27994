import type { SequenceName } from '../ids.js';
import type { UpdateSpec } from './spec.js';

/**
 * Reserves `n` ids of a sequence in one atomic step. The counter is created on first use
 * (upsert); the returned document's seq is the last id reserved.
 */
export function reserveIdsQuery(sequence: SequenceName, n: number): UpdateSpec {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`cannot reserve ${n} ids`);
  return {
    filter: { _id: sequence },
    update: { $inc: { seq: n } },
    options: { upsert: true, returnDocument: 'after', projection: { seq: 1 } },
  };
}
