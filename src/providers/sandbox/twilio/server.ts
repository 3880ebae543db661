import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from '../loopback.js';
import { createFailureSwitch, type FailureInjection } from '../failure-injection.js';

export type { FailureInjection } from '../failure-injection.js';

export type TwilioSandboxOptions = {
  accountSid?: string;
  authToken?: string;
  /** Numbers that replied STOP: sending to them answers 21610. */
  optedOut?: string[];
  failures?: FailureInjection;
  /** The clock for `date_created`. @defaultValue Date.now */
  now?: () => number;
  port?: number;
};

export type TwilioSandboxMessage = {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
  status: 'queued' | 'accepted';
  numSegments: number;
  dateCreated: string;
};

// E.164: a plus and 10 to 15 digits, as the original validated (contracts/twilio.md "Request").
const E164 = /^\+[1-9]\d{9,14}$/;
const API = '/2010-04-01';

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
/** Twilio's error body (contracts/twilio.md "Errors"). */
const twilioError = (res: ServerResponse, status: number, code: number, message: string) => send(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

// GSM-7 (approximately: printable ASCII and line breaks) fits 160 per segment, 153 when split; otherwise UCS-2 fits 70, 67 when split.
const segmentsOf = (body: string) => {
  const gsm = /^[\x20-\x7e\r\n]*$/.test(body);
  const [single, part] = gsm ? [160, 153] : [70, 67];
  return body.length <= single ? 1 : Math.ceil(body.length / part);
};

/** "Mon, 02 Mar 2026 09:15:00 +0000", as Twilio writes dates. */
const rfc2822 = (instant: number) => new Date(instant).toUTCString().replace('GMT', '+0000');

/**
 * A loopback Twilio Messages API (contracts/twilio.md "Sandbox must"): Basic auth (401 20003),
 * form-encoded bodies only (a JSON body carries no `To`, as at Twilio), E.164 `To` (21211), a STOP
 * list (21610), 201 `queued` with an `SM…` sid, messages kept for inspection.
 */
export const startTwilioSandbox = async (options: TwilioSandboxOptions = {}) => {
  const accountSid = options.accountSid ?? 'AC00000000000000000000000000000000';
  const authToken = options.authToken ?? 'sandbox-twilio-auth-token';
  const optedOut = new Set(options.optedOut ?? []);
  const now = options.now ?? Date.now;
  const failures = createFailureSwitch(options.failures);
  const messages: TwilioSandboxMessage[] = [];
  const stats = { requests: 0, created: 0, refused: 0 };
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(req);
    stats.requests++;
    if (req.headers.authorization !== expectedAuth) return twilioError(res, 401, 20003, 'Authenticate');
    if (await failures.intercept(url.pathname, res)) return;

    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
    if (req.method !== 'POST' || !match || decodeURIComponent(match[1]!) !== accountSid) {
      return twilioError(res, 404, 20404, `The requested resource ${url.pathname} was not found`);
    }
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const form = new URLSearchParams(isForm ? text : '');
    const to = form.get('To');
    const from = form.get('From');
    const service = form.get('MessagingServiceSid');
    const body = form.get('Body') ?? '';
    const refuse = (code: number, message: string) => {
      stats.refused++;
      return twilioError(res, 400, code, message);
    };
    if (!to) return refuse(21604, "A 'To' phone number is required.");
    if (!from && !service) return refuse(21603, "A 'From' phone number is required.");
    if (!body) return refuse(21602, 'Message body is required.');
    if (body.length > 1600) return refuse(21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (!E164.test(to)) return refuse(21211, `The 'To' number ${to} is not a valid phone number.`);
    if (from && !E164.test(from)) return refuse(21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
    if (optedOut.has(to)) return refuse(21610, 'Attempt to send to unsubscribed recipient');

    const sid = `SM${String(messages.length + 1).padStart(32, '0')}`;
    const created = rfc2822(now());
    const message: TwilioSandboxMessage = {
      sid,
      to,
      from,
      messagingServiceSid: service,
      body,
      statusCallback: form.get('StatusCallback'),
      // Through a Messaging Service the first status is "accepted" (contracts/twilio.md "Response").
      status: service ? 'accepted' : 'queued',
      numSegments: segmentsOf(body),
      dateCreated: created,
    };
    messages.push(message);
    stats.created++;
    const uri = `${API}/Accounts/${accountSid}/Messages/${sid}`;
    return send(res, 201, {
      sid,
      account_sid: accountSid,
      to,
      from,
      messaging_service_sid: service,
      body,
      status: message.status,
      num_segments: String(message.numSegments),
      num_media: '0',
      direction: 'outbound-api',
      api_version: '2010-04-01',
      date_created: created,
      date_updated: created,
      date_sent: null,
      price: null,
      price_unit: 'USD',
      error_code: null,
      error_message: null,
      uri: `${uri}.json`,
      subresource_uris: { media: `${uri}/Media.json` },
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { code: 20500, message: 'sandbox error', status: 500 }));
  });
  const loopback = await listenOnLoopback(server, options.port);
  return {
    url: `http://127.0.0.1:${loopback.port}`,
    credentials: { accountSid, authToken },
    stats,
    setFailures: failures.set,
    /** Mark a number as having replied STOP (or clear it). */
    setOptedOut: (number: string, out = true) => void (out ? optedOut.add(number) : optedOut.delete(number)),
    close: loopback.close,
    messages: (): TwilioSandboxMessage[] => messages.map((m) => ({ ...m })),
  };
};

export type TwilioSandbox = Awaited<ReturnType<typeof startTwilioSandbox>>;
