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
      case '$size':
        return Array.isArray(value) && value.length === arg;
      case '$nin':
        return !(arg as unknown[]).some((a) => equals(value, a));
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

function applyUpdate(doc: Doc, update: Record<string, unknown> | Array<Record<string, Doc>>, inserting: boolean): void {
  if (Array.isArray(update)) return applyPipelineUpdate(doc, update);
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

const duplicateKey = (fields: string[] = ['_id'], values?: unknown[]) =>
  Object.assign(new Error('E11000 duplicate key error'), {
    code: 11000,
    keyPattern: Object.fromEntries(fields.map((f) => [f, 1])),
    ...(values === undefined ? {} : { keyValue: Object.fromEntries(fields.map((f, i) => [f, values[i]])) }),
  });

/** A unique index: its fields (several for a compound one) and, for a partial one, the filter a document must match to be in it. */
export interface UniqueIndex {
  keys: string[];
  partial?: Record<string, unknown>;
}

/**
 * The index keys a document holds: one tuple per element when a field is an array (multikey).
 * As in MongoDB, a missing field is indexed as null, so two documents missing it collide in a
 * plain unique index; a single-field index on an array holds no key for an empty array.
 */
function keysOf(doc: Doc, fields: string[]): string[] {
  let tuples: unknown[][] = [[]];
  for (const field of fields) {
    const v = get(doc, field);
    const values = Array.isArray(v) ? v : [v === undefined ? null : v];
    tuples = tuples.flatMap((t) => values.map((x) => [...t, x]));
  }
  return tuples.map((t) => JSON.stringify(t));
}

let autoIds = 0;

export class MemoryCollection {
  readonly docs: Doc[] = [];

  private readonly unique: UniqueIndex[];

  /**
   * `unique` lists the unique indexes: a field name, the fields of a compound index, or an
   * index with a partial filter (arrays are multikey: no element in two documents).
   */
  constructor(
    initial: Doc[] = [],
    options: { unique?: Array<string | string[] | UniqueIndex> } = {},
  ) {
    for (const d of initial) this.docs.push(clone(d));
    this.unique = (options.unique ?? []).map((u) => (typeof u === 'string' ? { keys: [u] } : Array.isArray(u) ? { keys: u } : u));
  }

  /** Throws the server's duplicate-key error when `doc` would share a unique key with another document. */
  private checkUnique(doc: Doc, replacing: Doc | null): void {
    for (const index of this.unique) {
      const inIndex = (d: Doc) => !index.partial || matches(d, index.partial);
      if (!inIndex(doc)) continue;
      const mine = keysOf(doc, index.keys);
      const taken = new Set(this.docs.filter((d) => d !== replacing && inIndex(d)).flatMap((d) => keysOf(d, index.keys)));
      const clash = mine.find((k) => taken.has(k));
      if (clash !== undefined) throw duplicateKey(index.keys, JSON.parse(clash) as unknown[]);
    }
  }

  /** A copy of every document, for rolling back an aborted transaction. */
  snapshot(): Doc[] {
    return this.docs.map((d) => clone(d));
  }

  restore(snapshot: Doc[]): void {
    this.docs.splice(0, this.docs.length, ...snapshot.map((d) => clone(d)));
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
    if (Array.isArray(update)) {
      // An upserting update pipeline sees the new document's missing fields as null.
      applyPipelineUpdate(fresh, update as Array<Record<string, Doc>>);
      this.checkUnique(fresh, null);
      this.docs.push(fresh);
      return { matched: 0, upserted: fresh, doc: fresh };
    }
    if (fresh._id !== undefined && this.byId(fresh._id)) throw duplicateKey(['_id'], [fresh._id]);
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
    const shape = (c: Call, d: Doc) => project(copy(d), c.projection as Record<string, unknown> | null);
    h.when(model, 'find', (c: Call) => this.find(f(c), c.options).map((d) => shape(c, d)));
    h.when(model, 'cursor', (c: Call) => this.find(f(c), c.options).map((d) => shape(c, d)));
    h.when(model, 'findOne', (c: Call) => {
      const d = this.find(f(c), { ...c.options, limit: 1 })[0];
      return d ? shape(c, d) : null;
    });
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
        // Mongoose gives a document without an _id a fresh ObjectId; the stand-in a fresh string.
        if (d._id === undefined) d._id = `auto-${++autoIds}`;
        if (this.byId(d._id)) throw duplicateKey(['_id'], [d._id]);
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

/* ---------- expressions and aggregation (the stages the repositories send) ---------- */

/** Evaluates an aggregation expression against a document: field paths, literals and the operators used. */
export function evalExpr(doc: Doc, expr: unknown): unknown {
  if (typeof expr === 'string' && expr.startsWith('$')) return get(doc, expr.slice(1));
  if (Array.isArray(expr)) return expr.map((e) => evalExpr(doc, e));
  if (expr === null || typeof expr !== 'object') return expr;
  const [op, arg] = Object.entries(expr as Doc)[0] ?? [];
  if (!op?.startsWith('$')) return Object.fromEntries(Object.entries(expr as Doc).map(([k, v]) => [k, evalExpr(doc, v)]));
  const args = (Array.isArray(arg) ? arg : [arg]).map((a) => evalExpr(doc, a));
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  switch (op) {
    case '$add':
      return args.reduce<number>((s, v) => s + num(v), 0);
    case '$multiply':
      return args.reduce<number>((s, v) => s * num(v), 1);
    case '$ifNull':
      return args[0] === null || args[0] === undefined ? args[1] : args[0];
    case '$first':
      return Array.isArray(args[0]) ? args[0][0] : undefined;
    case '$cond': {
      const [c, t, e] = Array.isArray(arg) ? (arg as unknown[]) : [(arg as Doc).if, (arg as Doc).then, (arg as Doc).else];
      return evalExpr(doc, c) ? evalExpr(doc, t) : evalExpr(doc, e);
    }
    case '$eq':
      return JSON.stringify(args[0]) === JSON.stringify(args[1]);
    case '$ne':
      return JSON.stringify(args[0]) !== JSON.stringify(args[1]);
    case '$lte':
      return (args[0] as number) <= (args[1] as number);
    case '$lt':
      return (args[0] as number) < (args[1] as number);
    case '$gte':
      return (args[0] as number) >= (args[1] as number);
    case '$gt':
      return (args[0] as number) > (args[1] as number);
    case '$or':
      return args.some(Boolean);
    case '$not':
      return !args[0];
    case '$subtract':
      return num(args[0]) - num(args[1]);
    case '$max':
      return args.reduce<number>((m, v) => Math.max(m, num(v)), -Infinity);
    case '$min':
      return args.reduce<number>((m, v) => Math.min(m, num(v)), Infinity);
    case '$and':
      return args.every(Boolean);
    case '$switch': {
      const { branches, default: otherwise } = arg as { branches: Array<{ case: unknown; then: unknown }>; default: unknown };
      const hit = branches.find((b) => evalExpr(doc, b.case));
      return evalExpr(doc, hit ? hit.then : otherwise);
    }
    default:
      throw new Error(`mongo-memory: unsupported expression operator ${op}`);
  }
}

/** An update pipeline ([{ $set: { field: expression } }]), as the rate limiter sends. */
export function applyPipelineUpdate(doc: Doc, stages: Array<Record<string, Doc>>): void {
  for (const stage of stages) {
    const [op, fields] = Object.entries(stage)[0]!;
    if (op !== '$set') throw new Error(`mongo-memory: unsupported update stage ${op}`);
    const next = Object.fromEntries(Object.entries(fields).map(([k, e]) => [k, evalExpr(doc, e)]));
    Object.assign(doc, next);
  }
}

export function project(doc: Doc, projection: Record<string, unknown> | null | undefined): Doc {
  if (!projection || Object.keys(projection).length === 0) return doc;
  const entries = Object.entries(projection);
  const excluding = entries.every(([k, v]) => v === 0 || v === false || (k === '_id' && v === 1));
  if (excluding) {
    const out = { ...doc };
    for (const [k, v] of entries) if (v === 0 || v === false) delete out[k];
    return out;
  }
  const out: Doc = {};
  if (projection._id !== 0 && projection._id !== false) out._id = doc._id;
  for (const [k, v] of entries) {
    if (k === '_id') continue;
    if (v === 1 || v === true) {
      if (get(doc, k) !== undefined) out[k] = get(doc, k);
    } else if (v !== 0 && v !== false) out[k] = evalExpr(doc, v);
  }
  return out;
}

/** Runs a pipeline over `docs`; `collection(name)` gives another collection's documents for $lookup. */
export function runPipeline(docs: Doc[], pipeline: Array<Record<string, unknown>>, collection: (name: string) => Doc[]): Doc[] {
  let rows = docs.map((d) => clone(d));
  for (const stage of pipeline) {
    const [op, arg] = Object.entries(stage)[0]!;
    const a = arg as Doc;
    switch (op) {
      case '$match':
        rows = rows.filter((d) => ('$expr' in a ? Boolean(evalExpr(d, a.$expr)) : matches(d, a)));
        break;
      case '$lookup': {
        const from = collection(String(a.from));
        rows = rows.map((d) => ({
          ...d,
          [String(a.as)]: runPipeline(from.filter((f) => equals(get(f, String(a.foreignField)), get(d, String(a.localField)) ?? null)), (a.pipeline as Array<Record<string, unknown>>) ?? [], collection),
        }));
        break;
      }
      case '$unwind': {
        const path = String(arg).slice(1);
        rows = rows.flatMap((d) => ((get(d, path) as unknown[]) ?? []).map((x) => ({ ...d, [path]: x })));
        break;
      }
      case '$addFields':
      case '$set':
        rows = rows.map((d) => ({ ...d, ...Object.fromEntries(Object.entries(a).map(([k, e]) => [k, evalExpr(d, e)])) }));
        break;
      case '$project':
        rows = rows.map((d) => project(d, a));
        break;
      case '$group': {
        const groups = new Map<string, Doc>();
        for (const d of rows) {
          const id = evalExpr(d, a._id);
          const key = JSON.stringify(id);
          const g = groups.get(key) ?? { _id: id };
          for (const [field, acc] of Object.entries(a)) {
            if (field === '_id') continue;
            const [accOp, e] = Object.entries(acc as Doc)[0]!;
            if (accOp !== '$sum') throw new Error(`mongo-memory: unsupported accumulator ${accOp}`);
            g[field] = ((g[field] as number | undefined) ?? 0) + ((evalExpr(d, e) as number) ?? 0);
          }
          groups.set(key, g);
        }
        rows = [...groups.values()];
        break;
      }
      case '$sort':
        rows = [...rows].sort((x, y) => {
          for (const [k, dir] of Object.entries(a as Record<string, number>)) {
            const p = get(x, k) as number;
            const q = get(y, k) as number;
            if (p !== q) return (p < q ? -1 : 1) * dir;
          }
          return 0;
        });
        break;
      case '$limit':
        rows = rows.slice(0, arg as number);
        break;
      case '$count':
        rows = rows.length ? [{ [String(arg)]: rows.length }] : [];
        break;
      default:
        throw new Error(`mongo-memory: unsupported pipeline stage ${op}`);
    }
  }
  return rows;
}
