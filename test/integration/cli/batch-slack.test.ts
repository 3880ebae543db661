import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackSandbox } from '../../../src/providers/sandbox/slack/server.js';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';

/** A new batch reaches Slack (the sandbox webhook) through the production wiring, with its size and the /operator link. */
describe('caio batch create posts to Slack', () => {
  const work = tempWorkdir();
  let slack: Awaited<ReturnType<typeof startSlackSandbox>>;
  let run: ReturnType<typeof inProcessCli>['run'];
  beforeAll(async () => {
    slack = await startSlackSandbox();
    writeFileSync(path.join(work.dir, 'caio.config.json'), JSON.stringify({ server: { publicUrl: 'https://caio.example.com/' } }));
    run = inProcessCli({ cwd: work.dir, env: { SLACK_WEBHOOK_URL: slack.url } }).run;
  });
  afterAll(async () => {
    await slack.close();
    work.cleanup();
  });

  it('posts the batch size, its leads and the link to /operator', async () => {
    expect((await run(['pipeline', 'run', '--limit', '5'])).code).toBe(0);
    const queue = JSON.parse((await run(['review', 'list', '--json'])).stdout) as { id: string }[];
    await run(['review', 'approve', queue[0]!.id, '--by', 'Dani']);
    const before = slack.messages.length;
    const created = await run(['batch', 'create', '--motion', 'outbound', '--by', 'Dani', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const batch = JSON.parse(created.stdout) as { id: string; scope: unknown[] };
    const posted = slack.messages.slice(before).map((m) => JSON.stringify(m));
    expect(posted).toHaveLength(1);
    expect(posted[0]).toContain(`Batch ${batch.id.slice(0, 8)} waiting for approval: ${batch.scope.length} actions`);
    expect(posted[0]).toContain('https://caio.example.com/operator');
  }, 120_000);
});
