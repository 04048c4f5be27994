import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../domain/errors.js';
import type { User } from '../domain/types.js';

/** For POST routes: no session is a 401 page (the form cannot be replayed after a login). */
export function requireUser(request: FastifyRequest): User {
  if (!request.user) throw new UnauthorizedError();
  return request.user;
}

export function requireAdmin(request: FastifyRequest): User {
  const user = requireUser(request);
  if (!user.isAdmin) throw new ForbiddenError();
  return user;
}

/** For GET pages: send a visitor to the login form and bring them back afterwards. */
export function redirectToLogin(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
}

/**
 * For GET pages of site administration: 'login' when a visitor must log in first; a member
 * who is not a site admin gets the 403 page.
 */
export function adminPageAccess(request: FastifyRequest): 'login' | 'ok' {
  if (!request.user) return 'login';
  if (!request.user.isAdmin) throw new ForbiddenError();
  return 'ok';
}
