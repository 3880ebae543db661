import { AppError } from '../../lib/app-error.js';
import { configFrom } from '../config-from.js';
import { cliOut } from '../io.js';
import type { CommonOptions } from '../options.js';
import { printJson } from '../render/json.js';
import { withApp } from './with-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const DELIVERY_WORDS: Record<string, string> = {
  delivered: 'delivered',
  already_delivered: 'already delivered',
  not_delivered: 'NOT delivered',
  uncertain: 'perhaps delivered (a call may have reached the provider; not sent again)',
};

/**
 * `caio replies brief <id> [--send] [--by NAME] [--json]`: the meeting brief for a reply's lead
 * (issue 17 item 5), printed; `--send` also delivers it (Slack, e-mail, the appointment's notes at
 * GoHighLevel) and records the delivery, so the morning job does not send it again.
 */
export const repliesBriefCommand = async (id: string, options: CommonOptions & { send?: boolean; by?: string; json?: boolean }): Promise<void> => {
  if (!UUID.test(id.trim())) throw new AppError('INVALID_INPUT', 'a reply id is a UUID (see caio replies list)');
  const { meetingBriefsFor } = await import('../../compose/meeting-briefs.js');
  await withApp(configFrom(options), async (app) => {
    if (!options.send) {
      // Building the brief calls no provider: no dispatch set (and no sandbox) is opened.
      const brief = await meetingBriefsFor(app, { sandboxes: {} }).brief(id.trim());
      return options.json ? printJson(brief) : void cliOut(brief.text);
    }
    const { openDispatch } = await import('../../deps.js');
    const dispatch = await openDispatch(app);
    try {
      const briefs = meetingBriefsFor(app, dispatch);
      const brief = await briefs.brief(id.trim());
      const delivery = await briefs.send(id.trim(), options.by?.trim() || 'cli');
      if (options.json) return printJson({ ...brief, delivery });
      cliOut(brief.text);
      cliOut(`\nbrief ${DELIVERY_WORDS[delivery.status] ?? delivery.status}${delivery.channels.length ? ` by ${delivery.channels.join(', ')}` : ''}${delivery.errors.length ? ` (${delivery.errors.join('; ')})` : ''}\n`);
    } finally {
      await dispatch.close();
    }
  });
};
