import { createHash, timingSafeEqual } from 'node:crypto';

export const sha256Hex = (input: string): string => createHash('sha256').update(input).digest('hex');

/**
 * The one-way key of a suppressed person: their normalised email (or `linkedin:<url>`). Versioned
 * so the scheme can change without matching old entries by accident.
 */
export const suppressionHash = (identity: string): string => sha256Hex(`caio-suppression:v1:${identity.trim().toLowerCase()}`);

/** Compare two secrets in constant time (digests first, so differing lengths leak nothing either). */
export const safeEqual = (a: string, b: string): boolean => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
