import { z } from 'zod';

/**
 * Twilio Message resource (contracts/twilio.md "Response"). A loose object: unknown fields pass
 * through, but what we read is checked. A 201 means queued, not delivered.
 */
export const MessageResponseSchema = z.looseObject({
  sid: z.string().min(1),
  status: z.string().min(1),
  to: z.string().nullable().optional(),
  from: z.string().nullable().optional(),
  messaging_service_sid: z.string().nullable().optional(),
  num_segments: z.union([z.string(), z.number()]).nullable().optional(),
  error_code: z.union([z.number(), z.string()]).nullable().optional(),
});
export type TwilioMessage = z.infer<typeof MessageResponseSchema>;

/** Twilio's error body: `{code, message, more_info, status}` (contracts/twilio.md "Errors"). */
export const TwilioErrorSchema = z.looseObject({ code: z.number().int(), message: z.string().optional(), more_info: z.string().optional(), status: z.number().optional() });
