import { AppError, isAppError } from '../../lib/app-error.js';

/**
 * A call a channel makes before the one that sends (creating today's campaign or list): whatever
 * happened to it, the lead was not handed to the provider, so its failure is "certainly not sent"
 * (`uncertain: false`) and the item waits and goes again instead of waiting for a person. (A
 * campaign that was created although the answer was lost stays an empty draft; the next attempt
 * makes another, `_v<k>`.) Refusals the provider gave for good pass as they are.
 */
export const beforeTheLead = async <T>(provider: string, what: string, call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    if (!isAppError(error) || (error.code !== 'PROVIDER_UNAVAILABLE' && error.code !== 'PROVIDER_RATE_LIMITED')) throw error;
    throw new AppError('PROVIDER_UNAVAILABLE', `${provider}: ${what} failed (${error.message}); the lead was not sent, the item waits and goes again`, {
      retryable: true,
      cause: error,
      details: { ...error.details, provider, reason: 'prepare_failed', uncertain: false },
    });
  }
};
