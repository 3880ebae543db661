import { randomBytes } from 'node:crypto';

/** A random secret for the simulation's webhook tokens (never the user's). */
export const simulationSecret = () => `sim-${randomBytes(12).toString('hex')}`;
