import { createServer, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from '../loopback.js';
import { createFailureSwitch, type FailureInjection } from '../failure-injection.js';
import { readReply, replyTextIn } from './reply-reader.js';

/**
 * A loopback Anthropic Messages API (contracts/anthropic.md): checks `x-api-key` and
 * `anthropic-version`, refuses a `system` role inside `messages` and a tool name the API would
 * refuse (400), and answers from a responder (deterministic: by default a text built from the
 * input, or a call of every offered tool whose name the request spells). Tests script the model
 * with `respond`, and inject failures: the shared switches (timeout, 5xx, malformed, latency) and
 * the contract's own (429 with retry-after, 529 overloaded, `max_tokens` truncation).
 * A request offering the reply classifier's tool (`record_reply_reading`) is answered with a
 * reading built from the reply's text (reply-reader.ts); `offSchema` makes that answer break the
 * tool's schema.
 */
export type SandboxBlock = { type: 'text'; text: string } | { type: 'tool_use'; id?: string; name: string; input: unknown } | Record<string, unknown>;
export type SandboxReply = { content: SandboxBlock[]; stop_reason?: string };
export type SandboxRequest = {
  model?: string;
  max_tokens?: number;
  system?: unknown;
  messages?: { role: string; content: unknown }[];
  tools?: { name: string; description?: string; input_schema?: unknown }[];
  [k: string]: unknown;
};
export type Responder = (request: SandboxRequest) => SandboxReply;

export type AnthropicSandboxFailures = FailureInjection & {
  rateLimited?: { count: number; retryAfterSeconds?: number };
  overloaded?: { count: number };
  /** Answer 200 with stop_reason max_tokens and a cut text. */
  truncated?: { count: number };
  /** Answer 200 with a tool call whose input breaks the tool's schema (a class the tool does not have, no evidence). */
  offSchema?: { count: number };
};

/** The hostile echo: the key in a text block and in every tool call's input. */
const echo = (reply: SandboxReply, key: string): SandboxReply => ({
  ...reply,
  content: [{ type: 'text', text: `your key is ${key}` }, ...reply.content.map((b) => (b.type === 'tool_use' ? { ...b, input: { ...(b.input as object), note: key } } : b))],
});

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const PATH = '/v1/messages';

const userText = (r: SandboxRequest): string =>
  (r.messages ?? [])
    .filter((m) => m.role === 'user')
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('\n');

/** The reply classifier's tool (providers/anthropic/reply-classifier.ts). */
export const REPLY_TOOL = 'record_reply_reading';

/**
 * The default model: the reply classifier's tool answered from the reply (reply-reader.ts); else
 * call each offered tool named in the request, else say so in text.
 */
export const defaultResponder: Responder = (r) => {
  const text = userText(r);
  const reply = (r.tools ?? []).some((t) => t.name === REPLY_TOOL) ? replyTextIn(text) : null;
  if (reply !== null) return { content: [{ type: 'tool_use', id: 'toolu_sandbox_reply', name: REPLY_TOOL, input: readReply(reply) }], stop_reason: 'tool_use' };
  const named = (r.tools ?? []).filter((t) => text.includes(t.name));
  if (named.length) return { content: named.map((t, i) => ({ type: 'tool_use', id: `toolu_sandbox_${i + 1}`, name: t.name, input: {} })), stop_reason: 'tool_use' };
  return { content: [{ type: 'text', text: `No tool fits: ${text.slice(0, 60)}` }], stop_reason: 'end_turn' };
};

/**
 * `echoKey`: a hostile switch (the real API does not do it) that puts the presented key in error
 * messages and in the model's text, to prove the client and the ask never repeat it.
 */
export const startAnthropicSandbox = async (options: { apiKey: string; failures?: AnthropicSandboxFailures; respond?: Responder; echoKey?: boolean }) => {
  const shared = createFailureSwitch(options.failures);
  let own = structuredClone({ rateLimited: options.failures?.rateLimited, overloaded: options.failures?.overloaded, truncated: options.failures?.truncated, offSchema: options.failures?.offSchema });
  let respond: Responder = options.respond ?? defaultResponder;
  const requests: { headers: Record<string, string | string[] | undefined>; body: SandboxRequest }[] = [];
  let counter = 0;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_sandbox_${++counter}`, ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}) => send(res, status, { type: 'error', error: { type, message }, request_id: `req_sandbox_${counter + 1}` }, headers);
  const take = (key: 'rateLimited' | 'overloaded' | 'truncated' | 'offSchema') => {
    const f = own[key];
    if (f && f.count > 0) {
      f.count--;
      return true;
    }
    return false;
  };

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      if (req.method !== 'POST' || req.url !== PATH) return error(res, 404, 'not_found_error', 'Not found');
      const presented = String(req.headers['x-api-key'] ?? '');
      if (presented !== options.apiKey) return error(res, 401, 'authentication_error', options.echoKey ? `invalid x-api-key ${presented}` : 'invalid x-api-key');
      if (req.headers['anthropic-version'] !== '2023-06-01') return error(res, 400, 'invalid_request_error', 'anthropic-version: header is required');
      let body: SandboxRequest;
      try {
        body = JSON.parse(raw) as SandboxRequest;
      } catch {
        return error(res, 400, 'invalid_request_error', 'the body is not JSON');
      }
      requests.push({ headers: { ...req.headers }, body });
      if (typeof body.model !== 'string' || !body.model) return error(res, 400, 'invalid_request_error', 'model: Field required');
      if (typeof body.max_tokens !== 'number') return error(res, 400, 'invalid_request_error', 'max_tokens: Field required');
      if (!Array.isArray(body.messages) || body.messages[0]?.role !== 'user') return error(res, 400, 'invalid_request_error', 'messages: must start with a user turn');
      if (body.messages.some((m) => m.role === 'system')) return error(res, 400, 'invalid_request_error', 'messages: Unexpected role "system". Use the top-level system parameter');
      if ((body.tools ?? []).some((t) => !TOOL_NAME.test(t.name))) return error(res, 400, 'invalid_request_error', 'tools.name: String should match pattern ^[a-zA-Z0-9_-]{1,64}$');
      if (await shared.intercept(PATH, res)) return;
      if (take('rateLimited')) return error(res, 429, 'rate_limit_error', 'rate limited (injected)', { 'retry-after': String(own.rateLimited?.retryAfterSeconds ?? 1) });
      if (take('overloaded')) return error(res, 529, 'overloaded_error', 'Overloaded');
      const answered = take('truncated')
        ? { content: [{ type: 'text', text: 'I will call' }], stop_reason: 'max_tokens' }
        : take('offSchema')
          ? { content: [{ type: 'tool_use', name: REPLY_TOOL, input: { class: 'maybe', confidence: 2 } }], stop_reason: 'tool_use' }
          : respond(body);
      const reply = options.echoKey ? echo(answered, presented) : answered;
      send(res, 200, {
        id: `msg_sandbox_${counter + 1}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: reply.content.map((b, i) => (b.type === 'tool_use' && !('id' in b && b.id) ? { ...b, id: `toolu_sandbox_${i + 1}` } : b)),
        stop_reason: reply.stop_reason ?? (reply.content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'),
        stop_sequence: null,
        usage: { input_tokens: Math.ceil(raw.length / 4), output_tokens: 12 },
      });
    })();
  });
  const loopback = await listenOnLoopback(server);
  return {
    baseUrl: `http://127.0.0.1:${loopback.port}`,
    requests,
    respond: (r: Responder) => {
      respond = r;
    },
    setFailures: (f: AnthropicSandboxFailures) => {
      shared.set(f);
      own = structuredClone({ rateLimited: f.rateLimited, overloaded: f.overloaded, truncated: f.truncated, offSchema: f.offSchema });
    },
    close: loopback.close,
  };
};

export type AnthropicSandbox = Awaited<ReturnType<typeof startAnthropicSandbox>>;
