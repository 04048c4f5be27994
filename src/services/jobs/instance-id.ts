import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Unique per process, readable in the database: "web-2:4711:9f3a1c". */
export function instanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
