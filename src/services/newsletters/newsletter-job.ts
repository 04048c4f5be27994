import type { Job } from '../jobs/job-runner.js';
import type { NewsletterService } from './newsletter-service.js';

/** Sends scheduled newsletters when their time comes (leased: one instance sends each). */
export function newsletterJob(newsletters: NewsletterService, intervalMs = 60_000): Job<number> {
  // A newsletter sent shows as sent on its pages; a minute with none due changed nothing.
  return { name: 'newsletters', intervalMs, run: () => newsletters.deliverDue(), changedContent: (sent) => sent > 0 };
}
