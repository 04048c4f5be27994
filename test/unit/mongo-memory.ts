import type { Call, Offline } from './mongo-harness.js';

/*
 * A tiny in-memory collection behind one offline model, for tests whose point is what a
 * sequence of conditional writes leaves behind (a stale complete() leaves the entry pending,
 * two claims never share an entry) rather than the exact queries. It evaluates the filters
 * and updates the harness recorded (already cast by mongoose), and knows only the operators
 * the repositories use; anything else throws, so a test never passes on an operator it
 * silently ignored. Real MongoDB semantics stay the contract suite's job.
 */

type Doc = Record<string, unknown>;

const isOperatorObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RegExp) && Object.keys(v).some((k) => k.startsWith('$'));

/** Deep copy that also copes with mongoose's cast arrays (which structuredClone refuses). */
function clone<T>(v: T): T {
  if (Array.isArray(v)) return [...v].map(clone) as T;
  if (v !== null && typeof v === 'object' && !(v instanceof RegExp)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)])) as T;
  return v;
}

function get(doc: Doc, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v === null || v === undefined ? undefined : (v as Doc)[k]), doc);
}

function equals(value: unknown, wanted: unknown): boolean {
  if (wanted === null) return value === null || value === undefined;
  if (Array.isArray(value) && !Array.isArray(wanted)) return value.some((v) => equals(v, wanted));
  return JSON.stringify(value) === JSON.stringify(wanted);
}

function compare(value: unknown, op: string, arg: unknown): boolean {
  if (typeof value !== typeof arg || value === null || value === undefined) return false;
  const a = value as number;
  const b = arg as number;
  return op === '$lt' ? a < b : op === '$lte' ? a <= b : op === '$gt' ? a > b : a >= b;
}

function matchesValue(value: unknown, cond: unknown): boolean {
  if (!isOperatorObject(cond)) return equals(value, cond);
  return Object.entries(cond).every(([op, arg]) => {
    switch (op) {
      case '$in':
        return (arg as unknown[]).some((a) => equals(value, a));
      case '$ne':
        return !equals(value, arg);
      case '$lt':
      case '$lte':
      case '$gt':
      case '$gte':
        return compare(value, op, arg);
      case '$regex':
        return typeof value === 'string' && new RegExp(arg as string | RegExp).test(value);
      case '$exists':
        return (value !== undefined) === arg;
      default:
        throw new Error(`mongo-memory: unsupported query operator ${op}`);
    }
  });
}

export function matches(doc: Doc, filter: Record<string, unknown>): boolean {
  return Object.entries(filter).every(([key, cond]) => {
    if (key === '$or') return (cond as Array<Record<string, unknown>>).some((f) => matches(doc, f));
    if (key === '$and') return (cond as Array<Record<string, unknown>>).every((f) => matches(doc, f));
    if (key.startsWith('$')) throw new Error(`mongo-memory: unsupported top-level operator ${key}`);
    return matchesValue(get(doc, key), cond);
  });
}

function applyUpdate(doc: Doc, update: Record<string, unknown>, inserting: boolean): void {
  for (const [op, fields] of Object.entries(update)) {
    for (const [k, v] of Object.entries(fields as Doc)) {
      if (op === '$set' || (op === '$setOnInsert' && inserting)) doc[k] = clone(v);
      else if (op === '$inc') doc[k] = ((doc[k] as number | undefined) ?? 0) + (v as number);
      else if (op === '$addToSet') doc[k] = [...new Set([...((doc[k] as unknown[]) ?? []), v])];
      else if (op === '$pull') doc[k] = ((doc[k] as unknown[]) ?? []).filter((x) => !equals(x, v));
      else if (op !== '$setOnInsert') throw new Error(`mongo-memory: unsupported update operator ${op}`);
    }
  }
}

/** The fields an upsert copies from its filter: plain equalities at the top level. */
const seedOf = (filter: Record<string, unknown>): Doc =>
  Object.fromEntries(Object.entries(filter).filter(([k, v]) => !k.startsWith('$') && !isOperatorObject(v)));

const duplicateKey = (field = '_id', value?: unknown) =>
  Object.assign(new Error('E11000 duplicate key error'), { code: 11000, keyPattern: { [field]: 1 }, ...(value === undefined ? {} : { keyValue: { [field]: value } }) });

/** The values a document holds for an indexed field: each element of an array (a multikey index). */
const keysOf = (doc: Doc, field: string): unknown[] => {
  const v = get(doc, field);
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
};

export class MemoryCollection {
  readonly docs: Doc[] = [];

  /** `unique` names fields with a unique index (arrays are multikey: no element in two documents). */
  constructor(
    initial: Doc[] = [],
    private readonly options: { unique?: string[] } = {},
  ) {
    for (const d of initial) this.docs.push(clone(d));
  }

  /** Throws the server's duplicate-key error when `doc` would share a unique key with another document. */
  private checkUnique(doc: Doc, replacing: Doc | null): void {
    for (const field of this.options.unique ?? []) {
      const taken = new Set(this.docs.filter((d) => d !== replacing).flatMap((d) => keysOf(d, field).map((k) => JSON.stringify(k))));
      const clash = keysOf(doc, field).find((k) => taken.has(JSON.stringify(k)));
      if (clash !== undefined) throw duplicateKey(field, clash);
    }
  }

  byId(id: unknown): Doc | undefined {
    return this.docs.find((d) => d._id === id);
  }

  private find(filter: Record<string, unknown>, options: Record<string, unknown> = {}): Doc[] {
    let rows = this.docs.filter((d) => matches(d, filter));
    const sort = options.sort as Record<string, 1 | -1> | undefined;
    if (sort) {
      rows = [...rows].sort((a, b) => {
        for (const [k, dir] of Object.entries(sort)) {
          const x = get(a, k) as number | string;
          const y = get(b, k) as number | string;
          if (x !== y) return (x < y ? -1 : 1) * dir;
        }
        return 0;
      });
    }
    if (typeof options.skip === 'number') rows = rows.slice(options.skip);
    if (typeof options.limit === 'number' && options.limit > 0) rows = rows.slice(0, options.limit);
    return rows;
  }

  private updateOne(filter: Record<string, unknown>, update: Record<string, unknown>, upsert: boolean): { matched: number; upserted: Doc | null; doc: Doc | null } {
    const doc = this.docs.find((d) => matches(d, filter));
    if (doc) {
      // Applied to a copy first: a write refused by a unique index changes nothing.
      const next = clone(doc);
      applyUpdate(next, update, false);
      this.checkUnique(next, doc);
      Object.assign(doc, next);
      return { matched: 1, upserted: null, doc };
    }
    if (!upsert) return { matched: 0, upserted: null, doc: null };
    const fresh = seedOf(filter);
    if (fresh._id !== undefined && this.byId(fresh._id)) throw duplicateKey();
    applyUpdate(fresh, update, true);
    this.checkUnique(fresh, null);
    this.docs.push(fresh);
    return { matched: 0, upserted: fresh, doc: fresh };
  }

  /** Answers every operation the harness records for `model` from this collection. */
  install(h: Offline, model: string): this {
    const copy = clone;
    const f = (c: Call) => c.filter ?? {};
    const u = (c: Call) => c.update as Record<string, unknown>;
    h.when(model, 'find', (c: Call) => copy(this.find(f(c), c.options)));
    h.when(model, 'findOne', (c: Call) => copy(this.find(f(c), { ...c.options, limit: 1 })[0] ?? null));
    h.when(model, 'countDocuments', (c: Call) => this.find(f(c)).length);
    h.when(model, 'updateOne', (c: Call) => {
      const r = this.updateOne(f(c), u(c), c.options?.upsert === true);
      return { acknowledged: true, matchedCount: r.matched, modifiedCount: r.matched, upsertedCount: r.upserted ? 1 : 0 };
    });
    h.when(model, 'updateMany', (c: Call) => {
      const rows = this.find(f(c));
      for (const d of rows) applyUpdate(d, u(c), false);
      return { acknowledged: true, matchedCount: rows.length, modifiedCount: rows.length, upsertedCount: 0 };
    });
    h.when(model, 'findOneAndUpdate', (c: Call) => {
      const r = this.updateOne(f(c), u(c), c.options?.upsert === true);
      return r.doc ? copy(r.doc) : null;
    });
    const remove = (c: Call, many: boolean) => {
      const rows = this.find(f(c), many ? {} : { limit: 1 });
      for (const d of rows) this.docs.splice(this.docs.indexOf(d), 1);
      return { acknowledged: true, deletedCount: rows.length };
    };
    h.when(model, 'deleteOne', (c: Call) => remove(c, false));
    h.when(model, 'deleteMany', (c: Call) => remove(c, true));
    h.when(model, 'create', (c: Call) => {
      for (const d of c.docs as Doc[]) {
        if (this.byId(d._id)) throw duplicateKey();
        this.checkUnique(d, null);
        this.docs.push(copy(d));
      }
    });
    h.when(model, 'bulkWrite', (c: Call) => {
      for (const op of c.ops as Array<{ updateOne: { filter: Record<string, unknown>; update: Record<string, unknown>; upsert?: boolean } }>) {
        this.updateOne(op.updateOne.filter, op.updateOne.update, op.updateOne.upsert === true);
      }
      return {};
    });
    return this;
  }
}
