/**
 * The LinkedIn side of the cadence (issue 18, item 2), as pure rules.
 *
 * A person gets one connection request from us, ever: the invitation sent with the first touch
 * (HeyReach's lead list at dispatch) IS the cadence's connect step, whatever day it went out on,
 * and a connect step is never acted on for a lead who has a request on record (ours, or one
 * HeyReach's own campaign reported with CONNECTION_REQUEST_SENT). Message steps need an accepted
 * connection; once HeyReach reports the campaign completed (`linkedin_exhausted`), no LinkedIn step
 * is acted on any more, while the e-mail steps go on.
 */
import type { CadenceStep, Enrollment } from './engine.js';

/** The configured action of the step that sends the connection request. */
export const CONNECT_ACTION = 'connect';

/** A LinkedIn step that sends a connection request (the others are messages to a connection). */
export const isConnectionRequest = (step: Pick<CadenceStep, 'channel' | 'action'>): boolean => step.channel === 'linkedin' && step.action === CONNECT_ACTION;

/** A LinkedIn step that messages a connection: the steps a HeyReach campaign (`heyreach.campaigns.<step>`) can carry. */
export const isLinkedinMessage = (step: Pick<CadenceStep, 'channel' | 'action'>): boolean => step.channel === 'linkedin' && step.action !== CONNECT_ACTION;

/**
 * The step a connection request sent now counts as: the first unresolved connect step, on any
 * day. Unlike an e-mail touch (which counts as the first e-mail step already due), a request sent
 * before the connect step's day resolves it early, so the lead is never invited again on that day.
 */
export const connectStepFor = (enrollment: Enrollment, steps: readonly CadenceStep[]): CadenceStep | null =>
  [...steps].sort((a, b) => a.step - b.step).find((s) => isConnectionRequest(s) && !enrollment.completedSteps.includes(s.step)) ?? null;
