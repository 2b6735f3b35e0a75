// podMemoryOverride → the pod's memory request, as the Java driver computed it (contract §3.2). Pure.

/** A `podMemoryOverride` that is not a number (Java: IllegalArgumentException → 500). */
export class InvalidMemoryError extends Error {
  constructor(value: string) {
    // The missing closing quote is the Java driver's message, kept verbatim.
    super(`Failed to parse memory size '${value}`);
    this.name = 'InvalidMemoryError';
  }
}

// Java's Double.parseDouble grammar minus hexadecimal floats: sign, digits, exponent, optional f/d suffix.
const JAVA_DOUBLE = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/;

/** `ceil(GiB*1024)Mi` from the override, or from the configured default when the override is blank or ≤ 0. */
export function resourcesMemory(override: string | null, builderPodMemoryGiB: number): string {
  let gib = builderPodMemoryGiB;
  // Java's String.trim() strips every character ≤ U+0020.
  // eslint-disable-next-line no-control-regex -- those control characters are exactly what Java trims
  const trimmed = override?.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '') ?? '';
  if (trimmed !== '') {
    if (!JAVA_DOUBLE.test(trimmed)) throw new InvalidMemoryError(override as string);
    const parsed = Number(trimmed.replace(/[fFdD]$/, ''));
    // NaN > 0 is false in Java too, so NaN falls back to the default.
    if (parsed > 0) gib = parsed;
  }
  const mebibytes = Math.ceil(gib * 1024);
  if (!Number.isSafeInteger(mebibytes)) throw new InvalidMemoryError(override ?? String(builderPodMemoryGiB));
  return `${mebibytes}Mi`;
}
