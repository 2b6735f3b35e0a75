// The user and password of an `Authorization: Basic …` header (RFC 7617), or why they are refused. Everything a
// directory might read differently than we do is refused before LDAP is asked.

export const MAX_USER_LENGTH = 256;
export const MAX_PASSWORD_LENGTH = 1024;
/** Base64 of the longest user:password, UTF-8 at up to 4 bytes a character. */
const MAX_ENCODED_LENGTH = Math.ceil(((MAX_USER_LENGTH + MAX_PASSWORD_LENGTH) * 4 + 1) / 3) * 4;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// RFC 7617 forbids control characters; a NUL could also cut a password short in a C directory server.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export type BasicCredentials = { user: string; password: string } | { refused: string };

/** `header` is the part after `Basic `. */
export function parseBasicCredentials(encoded: string): BasicCredentials {
  const text = encoded.trim();
  if (text.length > MAX_ENCODED_LENGTH) return { refused: 'the Basic credentials are too long' };
  if (text.length % 4 !== 0 || !BASE64.test(text)) return { refused: 'the Basic credentials are not base64' };
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(text, 'base64'));
  } catch {
    return { refused: 'the Basic credentials are not UTF-8' };
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return { refused: 'the Basic credentials have no colon' };
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (user.length === 0 || user.length > MAX_USER_LENGTH) return { refused: 'the user name is empty or too long' };
  // An empty password is an "unauthenticated bind" (RFC 4513 §5.1.2): many servers answer it with success.
  if (password.length === 0 || password.length > MAX_PASSWORD_LENGTH) {
    return { refused: 'the password is empty or too long' };
  }
  if (CONTROL.test(user) || CONTROL.test(password)) return { refused: 'the credentials hold control characters' };
  return { user, password };
}
