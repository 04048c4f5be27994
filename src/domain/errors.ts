/**
 * Domain errors carry an HTTP status and a message key from the catalogue so that the
 * error handler can render a page in the user's language without knowing the domain.
 */
export class DomainError extends Error {
  constructor(
    public readonly status: number,
    public readonly messageKey: string,
    public readonly params: Record<string, string | number> = {},
  ) {
    super(messageKey);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(messageKey = 'error.notFound') {
    super(404, messageKey);
  }
}

export class ForbiddenError extends DomainError {
  constructor(messageKey = 'error.forbidden') {
    super(403, messageKey);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(messageKey = 'error.loginRequired') {
    super(401, messageKey);
  }
}

export class ConflictError extends DomainError {
  constructor(messageKey: string, params: Record<string, string | number> = {}) {
    super(409, messageKey, params);
  }
}

export class TooManyRequestsError extends DomainError {
  constructor(messageKey = 'error.tooManyRequests', public readonly retryAfterSeconds = 60) {
    // count picks the plural form ("1 second").
    super(429, messageKey, { seconds: retryAfterSeconds, count: retryAfterSeconds });
  }
}

/** A separate search engine (Meilisearch) did not answer: the rest of the forum still works. */
export class SearchUnavailableError extends DomainError {
  constructor() {
    super(503, 'error.searchUnavailable');
  }
}

/** A field-by-field validation failure: forms are re-rendered with these messages. */
export type FieldErrors = Record<string, { key: string; params?: Record<string, string | number> }>;

export class ValidationError extends DomainError {
  constructor(public readonly fields: FieldErrors) {
    super(400, 'error.invalidForm');
  }
}
