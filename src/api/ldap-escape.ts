// Escaping of a user-supplied value before it goes into an LDAP DN or search filter, so a user name can never add an
// RDN, change the base of a bind, or widen a filter (`*`, `)(`).

/**
 * An attribute value for a DN string (RFC 4514 §2.4): `"+,;<>\` and `=` get a backslash, NUL becomes `\00`, a
 * leading space or `#` and a trailing space are escaped too.
 */
export function escapeDnValue(value: string): string {
  let escaped = '';
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (char === '\0') escaped += '\\00';
    else if ('"+,;<>\\='.includes(char)) escaped += `\\${char}`;
    else if ((index === 0 && (char === ' ' || char === '#')) || (index === value.length - 1 && char === ' ')) {
      escaped += `\\${char}`;
    } else escaped += char;
  }
  return escaped;
}

/** An assertion value for a search filter (RFC 4515 §3): `*`, `(`, `)`, `\` and NUL as `\2a \28 \29 \5c \00`. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (char) => `\\${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The user's DN from a template like `uid={user},ou=people,dc=example,dc=org`. */
export function userDn(template: string, user: string): string {
  return template.replace('{user}', () => escapeDnValue(user));
}
