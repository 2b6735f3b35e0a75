// Every bound the REST edge puts on its input, in one place (the README's limits table is this file). Patterns are
// JSON Schema (ECMAScript, compiled with the `u` flag): ASCII-only character classes, so a lone UTF-16 surrogate
// or any other non-ASCII character is refused before it can reach Temporal or a template. Each pattern runs in
// linear time, and Ajv checks maxLength before pattern, so no input can make validation slow.

/** Bytes of a request body; larger ones are answered 413 before they are parsed. */
export const BODY_LIMIT = 1024 * 1024;
/** Characters of a path parameter the router accepts; beyond it 414 (a valid one is at most 63). */
export const MAX_PARAM_LENGTH = 1024;
/** The codec endpoint carries whole Temporal payloads (≤ 2 MB each, base64 on the wire). */
export const CODEC_BODY_LIMIT = 4 * 1024 * 1024;

/** A DNS label (RFC 1123), as Kubernetes names and label values need it. */
export const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** The same, or empty (an empty label/id in /complete means "not given", as in the Java driver). */
export const DNS_LABEL_OR_EMPTY = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$';
/** An OCI image reference: `[registry[:port]/]path[:tag][@digest]`. */
export const IMAGE_REFERENCE = '^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$';
/** RFC 3986 URI characters (unreserved, reserved, `%`): no spaces, quotes, braces or control characters. */
const URI_CHARS = "[A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]";
export const URI_REFERENCE = `^${URI_CHARS}*$`;
export const HTTP_URL = `^https?://${URI_CHARS}+$`;
/** Ids PNC hands over (build content id, build config id): word characters and a few separators. */
export const IDENTIFIER = '^[A-Za-z0-9._:@+-]*$';
/** An RFC 9110 token: what an HTTP header name may be. */
export const HTTP_TOKEN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";
/** A header value: printable ASCII and tab (no CR/LF, so no header injection). */
export const HEADER_VALUE = '^[\\t\\x20-\\x7e]*$';
/** Printable ASCII, spaces included: the invoker's log-* values (`'`, `#`, `:` and spaces are legitimate). */
export const PRINTABLE_ASCII = '^[\\x20-\\x7e]*$';
/** Standard base64 (the codec protocol's payload fields). */
export const BASE64 = '^[A-Za-z0-9+/]*={0,2}$';
/** An upper-case word (HTTP methods, phases are matched by enum on top). */
export const WORD = '^[A-Za-z]+$';

export const MAX = {
  environmentLabel: 41, // `pnc-ba-service-<label>-<6 hex>` must stay a 63-character DNS label
  dnsLabel: 63,
  imageId: 512, // the EnvironmentImage search attribute (Keyword) refuses values over 2 KB
  url: 2048,
  identifier: 255,
  podMemoryOverride: 32,
  headerName: 256,
  headerValue: 8192, // room for a JWT in an Authorization header
  callbackHeaders: 64,
  logHeader: 512, // W3C tracestate may be 512 characters
  attachmentDepth: 32,
  attachmentLength: 64 * 1024, // characters of the attachment as JSON: it travels in workflow history
  codecPayloads: 1000,
  codecMetadataEntries: 32,
  codecMetadataValue: 4096,
  codecData: CODEC_BODY_LIMIT,
} as const;
