import type { z } from 'zod';
import { AppError } from '../../lib/app-error.js';
import { redact, type HttpPolicy } from './policy.js';

export type JsonRequest = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path after the base URL, without a leading slash, e.g. `campaigns/abc/activate`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded instead (Twilio). */
  form?: Record<string, string>;
  /**
   * Whether the call may be sent again after it may have reached the provider (see the policy's
   * RequestSafety). Defaults by method: GET, PUT and DELETE yes; POST and PATCH no. Set it on a POST
   * only where the contract makes it a read, an upsert or keyed, and say why at the call site.
   */
  idempotent?: boolean;
};

export type JsonCallerOptions = {
  provider: string;
  baseUrl: string;
  policy: HttpPolicy;
  /** Auth and any fixed headers; a function so a rotated key is picked up. */
  headers: () => Record<string, string>;
  secrets: readonly string[];
  /**
   * Provider-specific reading of an error answer (e.g. Twilio's error code in the body); `body` is the
   * parsed JSON, undefined when there was none. Return undefined to fall back to the shared mapping.
   */
  classify?: (status: number, message: string, endpoint: string, body: unknown) => AppError | undefined;
};

const messageOf = (json: unknown, text: string): string => {
  const j = json as { error?: unknown; message?: unknown; msg?: unknown; errorMessage?: unknown } | undefined;
  const m = typeof j?.message === 'string' ? j.message : typeof j?.errorMessage === 'string' ? j.errorMessage : typeof j?.error === 'string' ? j.error : typeof j?.msg === 'string' ? j.msg : text;
  return m.replace(/\s+/g, ' ').slice(0, 200);
};

/** The shared mapping of an HTTP error status to a stable code (contracts/README.md). */
export const errorForStatus = (provider: string, endpoint: string, status: number, message: string, retryAfter: string | null): AppError => {
  const details = { provider, endpoint, status };
  if (status === 402) return new AppError('OUT_OF_CREDITS', `${provider} ${endpoint}: out of credits`, { details });
  if (status === 401 || status === 403) return new AppError('PROVIDER_AUTH', `${provider} ${endpoint}: the credentials were refused (${status})`, { details });
  if (status === 429) {
    const seconds = Number.parseInt(retryAfter ?? '', 10);
    return new AppError('PROVIDER_RATE_LIMITED', `${provider} ${endpoint}: rate limited (429)`, { retryable: true, details: { ...details, retryAfterSeconds: Number.isFinite(seconds) ? seconds : null } });
  }
  if (status >= 500) return new AppError('PROVIDER_UNAVAILABLE', `${provider} ${endpoint}: server error ${status}`, { retryable: true, details });
  if (status === 404) return new AppError('NOT_FOUND', `${provider} ${endpoint}: not found (404)${message ? `: ${message}` : ''}`, { details });
  return new AppError('PROVIDER_BAD_REQUEST', `${provider} ${endpoint}: request refused (${status})${message ? `: ${message}` : ''}`, { details });
};

/**
 * One JSON call through the shared HTTP policy: builds the URL, sends JSON or a form, reads the
 * body whatever its Content-Type says (HeyReach sends none), maps error statuses to stable codes
 * and parses the answer with zod: an unexpected shape is PROVIDER_BAD_RESPONSE, never undefined.
 * Nothing it throws carries a secret.
 */
export const createJsonCaller = (options: JsonCallerOptions) => {
  const base = options.baseUrl.replace(/\/+$/, '');
  const clean = (text: string) => redact(text, options.secrets);

  const call = async <S extends z.ZodType>(endpoint: string, request: JsonRequest, schema: S, opts: { nullOn?: readonly number[] } = {}): Promise<z.output<S> | null> => {
    const query = Object.entries(request.query ?? {}).filter((e): e is [string, string | number | boolean] => e[1] !== undefined);
    const url = `${base}/${request.path}${query.length ? `?${new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)])).toString()}` : ''}`;
    const body = request.form ? new URLSearchParams(request.form).toString() : request.body !== undefined ? JSON.stringify(request.body) : null;
    const contentType = request.form ? 'application/x-www-form-urlencoded' : body !== null ? 'application/json' : null;
    const res = await options.policy.fetch(
      endpoint,
      url,
      {
        method: request.method,
        headers: { accept: 'application/json', ...(contentType ? { 'content-type': contentType } : {}), ...options.headers() },
        body,
      },
      request.idempotent === undefined ? {} : { idempotent: request.idempotent },
    );
    const text = await res.text().catch(() => '');
    let json: unknown;
    let isJson = true;
    try {
      json = text.trim() ? JSON.parse(text) : undefined;
    } catch {
      isJson = false;
    }
    if (opts.nullOn?.includes(res.status)) return null;
    if (!res.ok) {
      const message = clean(messageOf(json, isJson ? '' : text));
      throw options.classify?.(res.status, message, endpoint, isJson ? json : undefined) ?? errorForStatus(options.provider, endpoint, res.status, message, res.headers.get('retry-after'));
    }
    const details = { provider: options.provider, endpoint, status: res.status };
    if (!isJson) throw new AppError('PROVIDER_BAD_RESPONSE', `${options.provider} ${endpoint}: the answer is not JSON`, { details });
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues
        .slice(0, 2)
        .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; ');
      throw new AppError('PROVIDER_BAD_RESPONSE', `${options.provider} ${endpoint}: unexpected response shape (${where})`, { details });
    }
    return parsed.data;
  };

  /** For calls whose answer must be present (a null only comes from `nullOn`). */
  const required = async <S extends z.ZodType>(endpoint: string, request: JsonRequest, schema: S): Promise<z.output<S>> => (await call(endpoint, request, schema)) as z.output<S>;

  return { call, required };
};

export type JsonCaller = ReturnType<typeof createJsonCaller>;
