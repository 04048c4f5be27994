import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AppConfig } from './config.js';

/*
 * Logs: one line per request in every environment (Fastify's own request logging writes two,
 * "incoming request" and "request completed"). In development the lines go through pino's
 * pretty printer ("12:03:04 INFO: GET /c/photo 200 8ms"); elsewhere they stay JSON, one
 * object per line, for a log collector.
 */

/** Fields pino-pretty leaves out so a request stays on one readable line (they are in the message). */
const PRETTY_IGNORE = 'pid,hostname,reqId,req,res,responseTime';

export const prettyOptions = {
  colorize: true,
  translateTime: 'SYS:HH:MM:ss',
  ignore: PRETTY_IGNORE,
  singleLine: true,
} as const;

export function loggerOptions(config: Pick<AppConfig, 'env' | 'logLevel'>): false | Record<string, unknown> {
  if (config.logLevel === 'silent') return false;
  if (config.env === 'development') {
    return { level: config.logLevel, transport: { target: 'pino-pretty', options: prettyOptions } };
  }
  return { level: config.logLevel };
}

/**
 * Fastify's request log lines, reduced to one per request: nothing when a request comes in,
 * and "GET /path 200 8ms" (with the same fields for JSON readers) when it is answered.
 */
export class OneLineRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const ms = Math.round(reply.elapsedTime);
    const fields = { req: { method: request.method, url: request.url }, res: { statusCode: reply.statusCode }, responseTime: ms };
    const line = `${request.method} ${request.url} ${reply.statusCode} ${ms}ms`;
    if (error) reply.log.error({ ...fields, err: error }, line);
    else reply.log.info(fields, line);
  }
}
