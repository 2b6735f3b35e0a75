// The cache of successful LDAP binds: keyed by user, matched by password, expiring, bounded.
import { BindCache } from '../../src/api/bind-cache';

describe('BindCache', () => {
  let now = 0;
  const clock = () => now;

  it('answers only the password that bound, until the entry expires', () => {
    const cache = new BindCache(60_000, 10, clock);
    cache.set('alice', 'right', ['role']);
    expect(cache.get('alice', 'right')).toEqual(['role']);
    expect(cache.get('alice', 'wrong')).toBeNull();
    expect(cache.get('alice', 'right ')).toBeNull();
    expect(cache.get('bob', 'right')).toBeNull();
    now += 59_999;
    expect(cache.get('alice', 'right')).toEqual(['role']);
    now += 1;
    expect(cache.get('alice', 'right')).toBeNull();
    expect(cache.size).toBe(0);
  });

  it('keeps one entry per user: a new password replaces the old one', () => {
    const cache = new BindCache(60_000, 10, clock);
    cache.set('alice', 'old', ['role']);
    cache.set('alice', 'new', ['role']);
    expect(cache.get('alice', 'old')).toBeNull();
    expect(cache.get('alice', 'new')).toEqual(['role']);
    cache.forget('alice');
    expect(cache.get('alice', 'new')).toBeNull();
  });

  it('holds at most maxEntries, dropping expired entries first, then the oldest', () => {
    const cache = new BindCache(1000, 3, clock);
    cache.set('a', 'p', []);
    now += 2000; // a expires
    cache.set('b', 'p', []);
    cache.set('c', 'p', []);
    cache.set('d', 'p', []);
    expect(cache.size).toBe(3);
    expect(cache.get('b', 'p')).toEqual([]);
    cache.set('e', 'p', []);
    expect(cache.size).toBe(3);
    expect(cache.get('b', 'p')).toBeNull(); // the oldest
    expect(cache.get('e', 'p')).toEqual([]);
  });

  it('caches nothing with a lifetime of 0', () => {
    const cache = new BindCache(0, 10, clock);
    cache.set('alice', 'right', ['role']);
    expect(cache.get('alice', 'right')).toBeNull();
  });
});
