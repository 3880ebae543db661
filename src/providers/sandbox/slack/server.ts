import { createServer } from 'node:http';
import { listenOnLoopback, readBody } from '../loopback.js';
import { createFailureSwitch, type FailureInjection } from '../failure-injection.js';

/** A loopback Slack incoming webhook (contracts/slack.md): `ok`, 400 invalid_payload/no_text, 404 no_service when revoked. */
export const startSlackSandbox = async (options: { failures?: FailureInjection } = {}) => {
  const failures = createFailureSwitch(options.failures);
  const messages: { text?: string; blocks?: unknown[] }[] = [];
  let revoked = false;
  const secretPath = '/services/T000SANDBOX/B000SANDBOX/sandboxsecret';
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const reply = (status: number, text: string) => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(text);
      };
      if (req.method !== 'POST' || req.url !== secretPath || revoked) return reply(404, 'no_service');
      if (await failures.intercept(secretPath, res)) return;
      let json: { text?: string; blocks?: unknown[] };
      try {
        json = JSON.parse(body) as typeof json;
      } catch {
        return reply(400, 'invalid_payload');
      }
      if (!json.text && !json.blocks) return reply(400, 'no_text');
      if (Array.isArray(json.blocks) && json.blocks.length > 50) return reply(400, 'invalid_payload');
      messages.push(json);
      reply(200, 'ok');
    })();
  });
  const loopback = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${loopback.port}${secretPath}`,
    messages,
    revoke: () => {
      revoked = true;
    },
    setFailures: failures.set,
    close: loopback.close,
  };
};
