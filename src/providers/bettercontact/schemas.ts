import { z } from 'zod';

const text = z.string().nullable().optional();

/** Submit answers `{success, id, message}`; some clients read `request_id`: accept either. */
export const SubmitResponseSchema = z.looseObject({ id: z.string().min(1).optional(), request_id: z.string().min(1).optional() }).transform((r) => r.id ?? r.request_id ?? null);

export const ContactResultSchema = z.looseObject({
  enriched: z.boolean().optional(),
  contact_first_name: text,
  contact_last_name: text,
  contact_email_address: text,
  contact_email_address_status: text,
  contact_job_title: text,
  contact_linkedin_profile_url: text,
  company_name: text,
  company_domain: text,
  custom_fields: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type ContactResult = z.infer<typeof ContactResultSchema>;

export const PollResponseSchema = z.looseObject({
  id: z.string().optional(),
  status: z.string(),
  credits_consumed: z.number().optional(),
  data: z.array(ContactResultSchema).optional(),
});
export type PollResponse = z.infer<typeof PollResponseSchema>;
