import { AppError } from '../../lib/app-error.js';
import { createJsonCaller } from '../http/json-call.js';
import { createHttpPolicy, type HttpPolicy } from '../http/policy.js';
import { MessageResponseSchema, TwilioErrorSchema } from './schemas.js';

export type TwilioSms = { to: string; body: string; statusCallback?: string };

export type TwilioClient = {
  /** Queues one SMS; `status` is "queued" (or "accepted" via a Messaging Service): a 201 is not a delivery. */
  sendSms(sms: TwilioSms): Promise<{ sid: string; status: string }>;
};

/** Twilio codes that say this request can never succeed (contracts/twilio.md "Errors"): no retry. */
const REFUSALS: Record<number, { reason: string; text: string }> = {
  21211: { reason: 'invalid_number', text: 'the To number is not a valid phone number' },
  21610: { reason: 'unsubscribed', text: 'the recipient replied STOP and is unsubscribed' },
  21606: { reason: 'invalid_from', text: 'the From number is not a valid number of this account' },
  21659: { reason: 'invalid_from', text: 'the From number is not a valid number of this account' },
  21408: { reason: 'region_not_permitted', text: 'the account may not send to that region' },
};

const MAX_BODY = 1600;
const ENDPOINT = 'Messages';

/** The Twilio error code of an error answer, read from a clone so json-call still reads the body. */
const twilioCodeOf = (body: unknown): number | null => {
  const parsed = TwilioErrorSchema.safeParse(body);
  return parsed.success ? parsed.data.code : null;
};

/**
 * A 400 with a Twilio code is PROVIDER_BAD_REQUEST carrying `twilioCode` (and a reason for the
 * codes we act on, e.g. 21610 marks the escalation contact unreachable). The message names the
 * code, never the number or the body.
 */
const classifyTwilio = (status: number, message: string, endpoint: string, twilioCode: number | null): AppError | undefined => {
  if (status !== 400 || twilioCode === null) return undefined;
  const known = REFUSALS[twilioCode];
  const details = { provider: 'twilio', endpoint, status, twilioCode, ...(known ? { reason: known.reason } : {}) };
  return new AppError('PROVIDER_BAD_REQUEST', `twilio ${endpoint}: ${known ? known.text : `request refused: ${message}`} (Twilio ${twilioCode})`, { details });
};

export const createTwilioClient = ({ baseUrl, accountSid, authToken, from, policy }: { baseUrl: string; accountSid: string; authToken: string; from: string; policy?: HttpPolicy }): TwilioClient => {
  // HTTP Basic AccountSid:AuthToken (contracts/twilio.md "Request"); the encoded form is a secret too.
  const basic = Buffer.from(`${accountSid}:${authToken}`).toString('base64');
  const secrets = [authToken, basic];
  const http = createJsonCaller({
    provider: 'twilio',
    baseUrl,
    policy: policy ?? createHttpPolicy({ provider: 'twilio', retries: 0, secrets }),
    headers: () => ({ Authorization: `Basic ${basic}` }),
    secrets,
    classify: (status, message, endpoint, body) => classifyTwilio(status, message, endpoint, twilioCodeOf(body)),
  });
  // A Messaging Service sid (MG…) goes in MessagingServiceSid instead of From.
  const sender: Record<string, string> = from.startsWith('MG') ? { MessagingServiceSid: from } : { From: from };

  return {
    sendSms: async ({ to, body, statusCallback }) => {
      if (!body.trim()) throw new AppError('INVALID_INPUT', 'twilio sendSms: the message body is empty');
      // Twilio refuses more than 1,600 characters; an escalation still goes out, cut (as the original did).
      const form: Record<string, string> = { To: to, ...sender, Body: body.slice(0, MAX_BODY), ...(statusCallback ? { StatusCallback: statusCallback } : {}) };
      // NOT repeatable: every create queues (and bills) another SMS; contracts/twilio.md documents no idempotency key.
      const message = await http.required(ENDPOINT, { method: 'POST', path: `2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, form, idempotent: false }, MessageResponseSchema);
      return { sid: message.sid, status: message.status };
    },
  };
};
