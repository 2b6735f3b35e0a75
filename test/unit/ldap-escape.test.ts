// Escaping of user names for LDAP DNs (RFC 4514) and filters (RFC 4515), and the Basic header's refusals.
import fc from 'fast-check';
import { parseBasicCredentials } from '../../src/api/basic-credentials';
import { escapeDnValue, escapeFilterValue, userDn } from '../../src/api/ldap-escape';

const basic = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('escapeDnValue (RFC 4514)', () => {
  it.each([
    ['alice', 'alice'],
    ['a,b', 'a\\,b'],
    ['a=b', 'a\\=b'],
    ['a+b', 'a\\+b'],
    ['a\\b', 'a\\\\b'],
    ['"<x>;"', '\\"\\<x\\>\\;\\"'],
    ['a\0b', 'a\\00b'],
    ['#a', '\\#a'],
    ['a#', 'a#'],
    [' a b ', '\\ a b\\ '],
    ['x)(cn=*', 'x)(cn\\=*'],
  ])('%j → %j', (value, escaped) => {
    expect(escapeDnValue(value)).toBe(escaped);
  });

  it('never lets a value end the RDN: no unescaped `,` `+` `=` remains', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const escaped = escapeDnValue(value);
        // Drop every escape pair; what is left may hold no separator.
        expect(escaped.replace(/\\(00|.)/gs, '')).not.toMatch(/[,+=\\"<>;\0]/);
      }),
    );
  });

  it('puts the escaped user into the template once, `$` patterns included', () => {
    expect(userDn('uid={user},ou=people,dc=example,dc=org', "a,ou=x$&$'")).toBe(
      "uid=a\\,ou\\=x$&$',ou=people,dc=example,dc=org",
    );
  });
});

describe('escapeFilterValue (RFC 4515)', () => {
  it.each([
    ['alice', 'alice'],
    ['*', '\\2a'],
    ['x)(cn=*)(cn=x', 'x\\29\\28cn=\\2a\\29\\28cn=x'],
    ['a\\,b', 'a\\5c,b'],
    ['\0', '\\00'],
  ])('%j → %j', (value, escaped) => {
    expect(escapeFilterValue(value)).toBe(escaped);
  });

  it('leaves no parenthesis, star or NUL, and every backslash starts a hex pair', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const escaped = escapeFilterValue(value);
        expect(escaped).not.toMatch(/[()*\0]/);
        expect(escaped.replace(/\\[0-9a-f]{2}/g, '')).not.toContain('\\');
      }),
    );
  });
});

describe('parseBasicCredentials', () => {
  it('splits at the first colon; the password may hold colons', () => {
    expect(parseBasicCredentials(basic('alice:pa:ss'))).toEqual({ user: 'alice', password: 'pa:ss' });
    expect(parseBasicCredentials(basic('zoë:pässword'))).toEqual({ user: 'zoë', password: 'pässword' });
  });

  it.each([
    ['an empty password (an unauthenticated bind would succeed)', basic('alice:')],
    ['an empty user', basic(':secret')],
    ['no colon', basic('alice')],
    ['not base64', '!!!notbase64!!!'],
    ['base64 of the wrong length', 'YWxpY2U6c2VjcmV0'.slice(0, -1)],
    ['invalid UTF-8', Buffer.from([0x61, 0x3a, 0xff, 0xfe]).toString('base64')],
    ['a NUL in the user', basic('alice\0:secret')],
    ['a NUL in the password (a C server could cut it)', basic('alice:sec\0ret')],
    ['a newline', basic('alice\n:secret')],
    ['a user past 256 characters', basic(`${'a'.repeat(257)}:secret`)],
    ['a password past 1024 characters', basic(`alice:${'p'.repeat(1025)}`)],
    ['a huge value', 'A'.repeat(100_000)],
  ])('refuses %s', (_name, encoded) => {
    expect(parseBasicCredentials(encoded)).toHaveProperty('refused');
  });
});
