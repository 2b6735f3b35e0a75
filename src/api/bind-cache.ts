// Successful LDAP binds, remembered briefly so a busy invoker does not cost one bind per request. An entry holds
// the user's roles and a keyed hash of the password that bound: another password never matches it and goes to
// LDAP. The hash key is random per process, so the entries are no offline dictionary for anyone who dumps memory.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

interface Entry {
  passwordHash: Buffer;
  roles: string[];
  expiresAt: number;
}

export class BindCache {
  private readonly entries = new Map<string, Entry>();
  private readonly key = randomBytes(32);

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  private hash(user: string, password: string): Buffer {
    return createHmac('sha256', this.key).update(user).update('\0').update(password).digest();
  }

  /** The roles of a bind of this user with this very password that is still fresh; null otherwise. */
  get(user: string, password: string): string[] | null {
    const entry = this.entries.get(user);
    if (!entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(user);
      return null;
    }
    return timingSafeEqual(entry.passwordHash, this.hash(user, password)) ? entry.roles : null;
  }

  set(user: string, password: string, roles: string[]): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(user); // re-inserted last: Map order is insertion order, oldest first
    if (this.entries.size >= this.maxEntries) this.evict();
    this.entries.set(user, { passwordHash: this.hash(user, password), roles, expiresAt: this.now() + this.ttlMs });
  }

  /** A user whose bind failed: forget the old password at once (it may just have been changed). */
  forget(user: string): void {
    this.entries.delete(user);
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    const now = this.now();
    for (const [user, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(user);
    // Still full: drop the oldest insertions.
    for (const user of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(user);
    }
  }
}
