import { hash, timingSafeEqual } from 'node:crypto';

/** One-shot (`crypto.hash`): no Hash object per call, which the webhook path pays on every delivery. */
export const sha256Hex = (input: string): string => hash('sha256', input, 'hex');

/**
 * The one-way key of a suppressed person: their normalised email (or `linkedin:<url>`). Versioned
 * so the scheme can change without matching old entries by accident.
 */
export const suppressionHash = (identity: string): string => sha256Hex(`caio-suppression:v1:${identity.trim().toLowerCase()}`);

/** Compare two secrets in constant time (digests first, so differing lengths leak nothing either). */
export const safeEqual = (a: string, b: string): boolean => timingSafeEqual(hash('sha256', a, 'buffer'), hash('sha256', b, 'buffer'));
