import type { Job } from '../jobs/job-runner.js';
import type { NewsletterService } from './newsletter-service.js';

/** Sends scheduled newsletters when their time comes (leased: one instance sends each). */
export function newsletterJob(newsletters: NewsletterService, intervalMs = 60_000): Job {
  return { name: 'newsletters', intervalMs, run: () => newsletters.deliverDue() };
}
