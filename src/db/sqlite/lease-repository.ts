import type { LeaseRepository } from '../ports.js';
import type { Db } from './connection.js';

export class SqliteLeaseRepository implements LeaseRepository {
  constructor(private readonly db: Db) {}

  async acquire(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    // One statement: take a free or expired lease, renew our own, leave anyone else's alone.
    const row = this.db
      .prepare<[string, string, number, number, string], { owner: string }>(
        `INSERT INTO job_leases (name, owner, until) VALUES (?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, until = excluded.until
           WHERE job_leases.until < ? OR job_leases.owner = ?
         RETURNING owner`,
      )
      .get(name, owner, now + ttlMs, now, owner);
    return row?.owner === owner;
  }

  async release(name: string, owner: string): Promise<void> {
    this.db.prepare('DELETE FROM job_leases WHERE name = ? AND owner = ?').run(name, owner);
  }
}
