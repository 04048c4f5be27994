import type { UserRepository } from '../../db/ports.js';
import { ConflictError, UnauthorizedError, ValidationError, type FieldErrors } from '../../domain/errors.js';
import type { User } from '../../domain/types.js';
import { checkEmail, checkPassword, checkUsername, normaliseEmail, normaliseUsername } from '../../domain/account-rules.js';
import type { PasswordHasher } from './password-hasher.js';
import type { SessionService } from './session-service.js';
import type { LoginThrottle } from './login-throttle.js';

export interface RegisterInput {
  username: string;
  email: string;
  password: string;
}

export interface LoginResult {
  user: User;
  token: string;
  expiresAt: number;
}

export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
  ) {}

  async register(input: RegisterInput, options: { isAdmin?: boolean; allowReserved?: boolean } = {}): Promise<User> {
    const username = normaliseUsername(input.username);
    const email = normaliseEmail(input.email);
    const errors: FieldErrors = {};
    checkUsername(username, errors, options.allowReserved);
    checkEmail(email, errors);
    checkPassword(input.password, errors);
    if (!errors.username) {
      // The same name in another letter case is taken; a different name that looks the same
      // (a Cyrillic "а", full-width or mathematical letters) would impersonate its owner.
      const lookalike = await this.users.findByUsernameSkeleton(username);
      if (lookalike) {
        errors.username = lookalike.username.toLowerCase() === username.toLowerCase() ? { key: 'validation.usernameTaken' } : { key: 'validation.usernameConfusable', params: { name: lookalike.username } };
      } else if (await this.users.findByUsername(username)) errors.username = { key: 'validation.usernameTaken' };
    }
    if (!errors.email && (await this.users.findByEmail(email))) errors.email = { key: 'validation.emailTaken' };
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const passwordHash = await this.hasher.hash(input.password);
    try {
      return await this.users.create({ username, email, displayName: username, passwordHash, isAdmin: options.isAdmin ?? false });
    } catch (err) {
      // Two registrations racing for one name: the unique index decides.
      if (err instanceof ConflictError) {
        throw new ValidationError(err.messageKey === 'validation.emailTaken' ? { email: { key: err.messageKey } } : { username: { key: err.messageKey } });
      }
      throw err;
    }
  }

  async startSession(user: User): Promise<LoginResult> {
    const token = this.sessions.generateToken();
    const session = await this.sessions.create(token, user.id);
    return { user, token, expiresAt: session.expiresAt };
  }

  /**
   * Reserves the attempt in the throttle before the password is checked, so a blocked client
   * learns nothing about it and concurrent guesses cannot overrun the limit.
   */
  async login(identifier: string, password: string, ip: string): Promise<LoginResult> {
    const id = identifier.trim();
    const errors: FieldErrors = {};
    if (id === '') errors.identifier = { key: 'validation.required' };
    if (password === '') errors.password = { key: 'validation.required' };
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const user = id.includes('@') ? await this.users.findByEmail(normaliseEmail(id)) : await this.users.findByUsername(normaliseUsername(id));
    // Count failures per account, not per spelling: otherwise alternating between the
    // username and the email (or their letter case) would multiply the allowed guesses.
    const accountKey = user ? `id:${user.id}` : `name:${id}`;
    await this.throttle.reserve(ip, accountKey);
    // Verify against a dummy hash when the user is unknown so timing does not reveal accounts.
    const ok = user ? await this.hasher.verify(user.passwordHash, password) : (await this.hasher.verify(DUMMY_HASH, password), false);
    if (!user || !ok) throw new UnauthorizedError('auth.wrongCredentials');
    await this.throttle.succeeded(ip, accountKey);
    return this.startSession(user);
  }

  async logout(sessionId: string): Promise<void> {
    await this.sessions.invalidate(sessionId);
  }

  /** Changes the password, ends every session of the user, and opens a fresh one for this browser. */
  async changePassword(user: User, currentPassword: string, newPassword: string): Promise<LoginResult> {
    const errors: FieldErrors = {};
    if (currentPassword === '') errors.currentPassword = { key: 'validation.required' };
    checkPassword(newPassword, errors, 'newPassword');
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const fresh = await this.users.findById(user.id);
    if (!fresh || !(await this.hasher.verify(fresh.passwordHash, currentPassword))) {
      throw new ValidationError({ currentPassword: { key: 'auth.currentPasswordWrong' } });
    }
    await this.users.updatePasswordAndRevokeSessions(user.id, await this.hasher.hash(newPassword));
    return this.startSession(fresh);
  }
}

// argon2id hash of a random string; only used to spend the same time on unknown accounts.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$ZHVtbXlzYWx0ZHVtbXk$0hCAhq4kqEQbR1WkYNsMMjoy1a5R/TErykpfovE2w3E';
