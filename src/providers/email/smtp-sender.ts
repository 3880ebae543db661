import type { Transporter } from 'nodemailer';
import { AppError, type ErrorCode } from '../../lib/app-error.js';

export type SmtpSenderOptions = {
  host: string;
  port: number;
  /** TLS from the first byte (port 465). @defaultValue port === 465 */
  secure?: boolean;
  user?: string;
  password?: string;
  from: string;
  /** Connect, greeting and idle-socket timeout each. @defaultValue 10_000 */
  timeoutMs?: number;
  /**
   * Refuse to continue without STARTTLS. @defaultValue true when a password is set on a
   * non-secure connection to a host other than loopback, so a server that stops offering
   * STARTTLS cannot make us send the password in clear.
   */
  requireTls?: boolean;
};

export type EmailMessage = { to: string[]; subject: string; text: string };
export type EmailSender = { send(message: EmailMessage): Promise<{ messageId: string; accepted: string[]; rejected: string[] }> };

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** nodemailer's error codes we can name precisely; anything else (connection, timeout, socket, TLS) is an outage. */
const CODE_OF: Record<string, { code: ErrorCode; retryable: boolean }> = {
  EAUTH: { code: 'PROVIDER_AUTH', retryable: false },
  EENVELOPE: { code: 'PROVIDER_BAD_REQUEST', retryable: false },
  EMESSAGE: { code: 'PROVIDER_BAD_REQUEST', retryable: false },
};

const addressesOf = (list: unknown): string[] => (Array.isArray(list) ? list.map((a) => (typeof a === 'string' ? a : String((a as { address?: string }).address ?? ''))) : []);

/**
 * E-mail over SMTP (level 3 of the escalation, and the fallback when Slack fails). nodemailer is
 * loaded on first send so the CLI does not pay for it. Errors are AppErrors whose message and
 * details never hold the password, in clear or in the base64 forms AUTH PLAIN/LOGIN put on the wire.
 */
export const createSmtpSender = (options: SmtpSenderOptions): EmailSender => {
  const secure = options.secure ?? options.port === 465;
  const timeout = options.timeoutMs ?? 10_000;
  const password = options.password ?? '';
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const secrets = password ? [`\u0000${options.user ?? ''}\u0000${password}`, password].flatMap((s) => [b64(s), s]).filter((s) => s.length >= 4) : [];
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join('[redacted]'), text);
  const requireTls = options.requireTls ?? (Boolean(password) && !secure && !LOOPBACK.has(options.host));

  let transport: Promise<Transporter> | undefined;
  const transporter = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        host: options.host,
        port: options.port,
        secure,
        requireTLS: requireTls,
        ...(options.user || password ? { auth: { user: options.user ?? '', pass: password } } : {}),
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
        // nodemailer's own logger would print the SMTP conversation (AUTH lines included).
        logger: false,
        debug: false,
      }),
    ));

  return {
    send: async ({ to, subject, text }) => {
      if (!to.length) throw new AppError('INVALID_INPUT', 'smtp send: no recipients');
      try {
        // A subject is one header line: a CR or LF would start a header of the caller's choosing.
        const info = await (await transporter()).sendMail({ from: options.from, to, subject: subject.replace(/[\r\n]+/g, ' '), text });
        return { messageId: String(info.messageId ?? ''), accepted: addressesOf(info.accepted), rejected: addressesOf(info.rejected) };
      } catch (error) {
        const e = error as { code?: string; responseCode?: number; command?: string; message?: string };
        const known = (e.code && CODE_OF[e.code]) || { code: 'PROVIDER_UNAVAILABLE' as const, retryable: true };
        const reason = scrub(String(e.message ?? 'unknown error'))
          .replace(/\s+/g, ' ')
          .slice(0, 200);
        throw new AppError(known.code, `smtp send failed (${e.code ?? 'ERROR'}): ${reason}`, {
          retryable: known.retryable,
          details: { provider: 'smtp', host: options.host, port: options.port, smtpCode: e.code ?? null, responseCode: e.responseCode ?? null, command: e.command && !/^AUTH/i.test(e.command) ? e.command : null },
        });
      }
    },
  };
};
