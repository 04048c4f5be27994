/*
 * Shared schema settings. strict/strictQuery 'throw' turn a misspelt field in a document,
 * an update or a filter into an error instead of a silently ignored path: the offline tests
 * rely on it to prove that every query the repositories build names real fields.
 */
export function schemaOptions(collection: string) {
  return { collection, versionKey: false, strict: 'throw', strictQuery: 'throw', timestamps: false, id: false } as const;
}

const isInteger = { validator: (v: unknown) => v === null || v === undefined || Number.isSafeInteger(v), message: '{PATH} must be a whole number' };
const isPositiveId = { validator: (v: unknown) => v === null || v === undefined || (Number.isSafeInteger(v) && (v as number) > 0), message: '{PATH} must be a positive whole number' };

/** A required numeric id (the `_id` of a counter-allocated entity or a reference to one). */
export const idField = { type: Number, required: true, validate: isPositiveId } as const;
/** An optional reference (null when absent). */
export const nullableIdField = { type: Number, default: null, validate: isPositiveId } as const;
/** A whole-number counter. */
export const countField = { type: Number, default: 0, validate: isInteger } as const;
/** Milliseconds since the epoch, as in the domain types. */
export const timeField = { type: Number, required: true, validate: isInteger } as const;
export const nullableTimeField = { type: Number, default: null, validate: isInteger } as const;
/** Text that may legitimately be empty (mongoose's `required` refuses ''). */
export const textField = { type: String, default: '' } as const;
