import type { SupportRepository } from '../../db/ports.js';
import type { EscalationLevel } from '../../domain/support-types.js';
import type { Job } from '../jobs/job-runner.js';

/** One recorded escalation, as handed to the notifier. */
export interface EscalationEvent {
  questionId: string;
  communityId: string;
  level: EscalationLevel;
  /** Warning: the assignee (or, unassigned, all staff). Breach: all staff and the moderators. */
  assigneeId: string | null;
  dueAt: number;
  at: number;
}

/**
 * Sends "escalated" notifications (SupportNotifications in the app). The escalation rows
 * (support_escalations) are the record; notified_at is set once the notifier returned. It
 * throws when the notifications could not be recorded (it logs why): the escalation stays
 * unmarked and a later run sends it again.
 */
export interface SupportNotifier {
  escalated(event: EscalationEvent): Promise<void>;
}

const BATCH = 200;

/**
 * Escalates running clocks at 75 % of their target and at breach. Leased by the JobRunner so
 * one instance runs it; recordEscalation is once-only per level and due time besides, so a
 * second run (or instance) never escalates twice. Every escalation is notified at least once:
 * what a dead run recorded is notified by the next.
 */
export function escalationJob(repo: SupportRepository, notifier: SupportNotifier, now: () => number, intervalMs = 60_000): Job<number> {
  // Marked only once its notifications are recorded. One that failed (the notifier logged why)
  // stays unmarked for the next run, and the others of this run still go out.
  const notify = async (event: EscalationEvent): Promise<void> => {
    try {
      await notifier.escalated(event);
    } catch {
      return;
    }
    await repo.markEscalationNotified(event.questionId, event.level, event.dueAt, now());
  };
  return {
    name: 'support-escalation',
    intervalMs,
    // An escalation marks its question overdue on pages; a minute with none changed nothing.
    changedContent: (escalated) => escalated > 0,
    async run() {
      const at = now();
      let escalated = 0;
      // A run that died after recording an escalation and before its notifications left it
      // unnotified, and recordEscalation will never return it again: those are sent first.
      // The notifier keys each notification by event and recipient, so one that was in fact
      // sent before the death is not sent twice. One that no longer holds (staff replied, the
      // clock paused or moved since) is closed without telling anyone.
      for (const e of await repo.unnotifiedEscalations(at, BATCH)) {
        if (!e.stillDue) {
          await repo.markEscalationNotified(e.questionId, e.level, e.dueAt, now());
          continue;
        }
        await notify({ questionId: e.questionId, communityId: e.communityId, level: e.level, assigneeId: e.assigneeId, dueAt: e.dueAt, at: e.at });
      }
      for (const ticket of await repo.dueForEscalation(at, BATCH)) {
        if (ticket.dueAt === null) continue;
        const levels: EscalationLevel[] = [];
        if (ticket.warnedAt === null && ticket.warnAt !== null && ticket.warnAt <= at) levels.push('warning');
        if (ticket.breachedAt === null && ticket.dueAt <= at) levels.push('breach');
        for (const level of levels) {
          if (!(await repo.recordEscalation(ticket.questionId, level, ticket.dueAt, at))) continue;
          escalated += 1;
          await notify({ questionId: ticket.questionId, communityId: ticket.communityId, level, assigneeId: ticket.assigneeId, dueAt: ticket.dueAt, at });
        }
      }
      return escalated;
    },
  };
}
