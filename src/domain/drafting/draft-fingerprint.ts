import { fingerprint } from '../stable-hash.js';

/** The same text always gives the same fingerprint: case and spacing do not count. */
export const draftFingerprint = (subject: string, body: string): string => fingerprint(`${subject.trim().toLowerCase()}\n${body.replace(/\s+/g, ' ').trim().toLowerCase()}`);
