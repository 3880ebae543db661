import { z } from 'zod';
import { AppError } from '../../lib/app-error.js';
import { createHttpPolicy, type HttpPolicy } from '../http/policy.js';
import { createJsonCaller } from '../http/json-call.js';

/**
 * The Anthropic Messages API (contracts/anthropic.md): one `POST /v1/messages` with tools offered,
 * its answer parsed strictly. Every error it throws is an AppError with the key redacted; a body of
 * the wrong shape is PROVIDER_BAD_RESPONSE, never a half-read message.
 */
export const ANTHROPIC_VERSION = '2023-06-01';

export type AnthropicTool = { name: string; description: string; input_schema: Record<string, unknown> };

export type MessagesRequest = {
  model: string;
  max_tokens: number;
  system?: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
  tools?: AnthropicTool[];
  tool_choice?: { type: 'auto' | 'any' };
  temperature?: number;
};

const TextBlock = z.object({ type: z.literal('text'), text: z.string() });
// A tool_use block is kept as given (OtherBlock): whether it is a well-formed call is the caller's judgement.
const OtherBlock = z.object({ type: z.string() }).loose();

export const MessagesResponseSchema = z.object({
  id: z.string(),
  type: z.literal('message'),
  role: z.literal('assistant'),
  model: z.string(),
  content: z.array(z.union([TextBlock, OtherBlock])),
  stop_reason: z.string().nullable(),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }).loose(),
});

export type MessagesResponse = z.output<typeof MessagesResponseSchema>;
/** A tool call as the model wrote it; a block without a name or id is kept (with nulls) so the caller can refuse it, not lose it. */
export type ToolUse = { id: string | null; name: string | null; input: unknown };

export const toolUsesOf = (r: MessagesResponse): ToolUse[] =>
  r.content
    .filter((b) => b.type === 'tool_use')
    .map((b) => {
      const block = b as { id?: unknown; name?: unknown; input?: unknown };
      return { id: typeof block.id === 'string' ? block.id : null, name: typeof block.name === 'string' ? block.name : null, input: block.input };
    });

/** All text blocks joined (the original read only the first; the contract says concatenate). */
export const textOf = (r: MessagesResponse): string =>
  r.content
    .filter((b): b is z.output<typeof TextBlock> => b.type === 'text' && typeof (b as { text?: unknown }).text === 'string')
    .map((b) => b.text)
    .join('');

export type AnthropicOptions = {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  /** Retries are ours, not the SDK's (none here: a planning call is interactive, its fallback is the grammar). @defaultValue 0 */
  retries?: number;
  policy?: HttpPolicy;
  fetch?: typeof globalThis.fetch;
};

export const createAnthropicMessages = (options: AnthropicOptions) => {
  const secrets = [options.apiKey];
  const policy = options.policy ?? createHttpPolicy({ provider: 'anthropic', timeoutMs: options.timeoutMs, retries: options.retries ?? 0, secrets, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const caller = createJsonCaller({
    provider: 'anthropic',
    baseUrl: options.baseUrl,
    policy,
    secrets,
    headers: () => ({ 'x-api-key': options.apiKey, 'anthropic-version': ANTHROPIC_VERSION }),
    classify: (status, message, endpoint, body) => {
      const type = (body as { error?: { type?: unknown } } | undefined)?.error?.type;
      // 529 overloaded is not an account limit (contract): retryable unavailability.
      if (status === 529) return new AppError('PROVIDER_UNAVAILABLE', `anthropic ${endpoint}: overloaded (529)`, { retryable: true, details: { provider: 'anthropic', endpoint, status } });
      if (status === 404 && type === 'not_found_error') return new AppError('CONFIG_INVALID', `anthropic ${endpoint}: unknown model (queen.llm.model): ${message}`, { details: { provider: 'anthropic', endpoint, status } });
      return undefined;
    },
  });
  return {
    /** One message; the answer as the API gave it (the caller reads stop_reason and the tool calls). */
    create: (body: MessagesRequest): Promise<MessagesResponse> =>
      // A message changes nothing at the provider: repeatable (the policy may retry it when retries are configured).
      caller.required('messages', { method: 'POST', path: 'v1/messages', body, idempotent: true }, MessagesResponseSchema),
  };
};

export type AnthropicMessages = ReturnType<typeof createAnthropicMessages>;
