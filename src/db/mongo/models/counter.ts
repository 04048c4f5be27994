import { Schema } from 'mongoose';
import { schemaOptions } from './common.js';

/** One document per id sequence: { _id: 'posts', seq: 41 } means the last post id handed out is 41. */
export interface CounterDoc {
  _id: string;
  seq: number;
}

export const COUNTER_MODEL = 'Counter';

export const counterSchema = new Schema<CounterDoc>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true, min: 0, validate: { validator: Number.isSafeInteger, message: '{PATH} must be a whole number' } },
  },
  schemaOptions('counters'),
);
