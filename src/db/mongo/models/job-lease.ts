import { Schema } from 'mongoose';
import { schemaOptions, timeField } from './common.js';

/*
 * One document per background job name. The `_id` being the job name is what makes two
 * instances unable to both take a lease: the loser's upsert hits the primary key.
 */
export interface JobLeaseDoc {
  _id: string;
  owner: string;
  /** Wall-clock ms until which `owner` holds the lease. */
  until: number;
}

export const JOB_LEASE_MODEL = 'JobLease';

export const jobLeaseSchema = new Schema<JobLeaseDoc>(
  {
    _id: { type: String, required: true, maxlength: 200 },
    owner: { type: String, required: true, maxlength: 300 },
    until: timeField,
  },
  schemaOptions('jobLeases'),
);
