import { hash, verify } from '@node-rs/argon2';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

// Algorithm.Argon2id is a const enum in @node-rs/argon2; isolatedModules forbids importing
// it, so we pass its numeric value (2) explicitly.
const ARGON2ID = 2;

/** argon2id with the OWASP-recommended minimums (19 MiB, 2 iterations, 1 lane). */
export class Argon2idHasher implements PasswordHasher {
  constructor(private readonly options = { memoryCost: 19456, timeCost: 2, parallelism: 1 }) {}

  hash(password: string): Promise<string> {
    return hash(password, { ...this.options, algorithm: ARGON2ID });
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }
}
