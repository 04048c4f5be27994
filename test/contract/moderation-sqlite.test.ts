import { describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { runModerationContract } from './moderation-contract.js';

runModerationContract('sqlite (:memory:)', async () => createSqliteStorage(':memory:'));

describe('sqlite audit log', () => {
  it('is append-only in the database itself: UPDATE and DELETE are refused', async () => {
    const storage = createSqliteStorage(':memory:');
    try {
      await storage.moderation.record({ actorId: null, action: 'user.warn', communityId: null, targetType: 'settings', targetId: 'x', reason: 'r', now: 1 });
      expect(() => storage.db.prepare("UPDATE audit_log SET reason = 'changed'").run()).toThrow(/append-only/);
      expect(() => storage.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
      expect((await storage.moderation.listAudit({ limit: 5 }))[0]!.reason).toBe('r');
    } finally {
      await storage.close();
    }
  });
});
