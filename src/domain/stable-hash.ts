/**
 * FNV-1a 32-bit. Pure and identical in every process, unlike Python's salted `hash()` that made
 * the original's template choice change between runs.
 */
export const fnv1a32 = (input: string, seed = 0x811c9dc5): number => {
  let hash = seed >>> 0;
  for (let i = 0; i < input.length; i++) {
    hash ^= input.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
};

/** A 16-hex-digit fingerprint from two independent FNV passes; an identity, not a security hash. */
export const fingerprint = (input: string): string => fnv1a32(input).toString(16).padStart(8, '0') + fnv1a32(input, 0x01234567).toString(16).padStart(8, '0');
