import type { NotificationDelivery, NotificationPrefsRepository } from '../../ports.js';
import { toRowId, type Db } from '../connection.js';

export class SqliteNotificationPrefsRepository implements NotificationPrefsRepository {
  constructor(private readonly db: Db) {}

  async get(userId: string): Promise<Record<string, NotificationDelivery>> {
    const rows = this.db
      .prepare<[number | null], { kind: string; delivery: NotificationDelivery }>('SELECT kind, delivery FROM notification_prefs WHERE user_id = ?')
      .all(toRowId(userId));
    return Object.fromEntries(rows.map((r) => [r.kind, r.delivery]));
  }

  async set(userId: string, kind: string, delivery: NotificationDelivery, now: number): Promise<void> {
    const id = toRowId(userId);
    if (id === null) return;
    this.db
      .prepare(
        `INSERT INTO notification_prefs (user_id, kind, delivery, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(user_id, kind) DO UPDATE SET delivery = excluded.delivery, updated_at = excluded.updated_at`,
      )
      .run(id, kind, delivery, now);
  }
}
