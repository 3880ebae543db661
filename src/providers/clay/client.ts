import { createHttpPolicy, type HttpPolicy } from '../http/policy.js';
import { errorForStatus } from '../http/json-call.js';

/** One row for the Clay table (contracts/clay.md "Row we send"); keys map to column names. */
export type ClayRow = {
  request_id: string;
  lead_id: string | null;
  linkedin_url: string;
  first_name: string | null;
  last_name: string | null;
  full_name: string | null;
  company_name: string | null;
  company_domain?: string;
  source: 'pipeline' | 'rb2b';
  priority: 'normal';
  timestamp: string;
};

export type ClayClient = {
  /** Resolves when Clay acknowledged the row (200/201/202, any body); the data comes later by callback. */
  sendRow(row: ClayRow): Promise<void>;
};

/**
 * The Clay table webhook. The URL is per table and is itself a secret (anyone holding it can add
 * rows), so it never appears in an error; the optional `x-clay-webhook-auth` token neither.
 */
export const createClayClient = ({ webhookUrl, authToken, policy }: { webhookUrl: string; authToken?: string | null; policy?: HttpPolicy }): ClayClient => {
  const secrets = [webhookUrl, ...(authToken ? [authToken] : [])];
  const http = policy ?? createHttpPolicy({ provider: 'clay', retries: 0, secrets });
  return {
    sendRow: async (row) => {
      // NOT repeatable: every POST adds a row, which spends Clay credits and counts towards the webhook's
      // 50,000-submission cap (contracts/clay.md §1, "Cost and timing").
      const res = await http.fetch(
        'table-webhook',
        webhookUrl,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...(authToken ? { 'x-clay-webhook-auth': authToken } : {}) },
          body: JSON.stringify(row),
        },
        { idempotent: false },
      );
      // The acknowledgement says nothing about the data and may not be JSON: only the status counts.
      await res.text().catch(() => '');
      if (res.status === 200 || res.status === 201 || res.status === 202) return;
      throw errorForStatus('clay', 'table-webhook', res.status, '', res.headers.get('retry-after'));
    },
  };
};
