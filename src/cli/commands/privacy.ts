import { writeFileSync } from 'node:fs';
import { AppError } from '../../lib/app-error.js';
import { normalizeEmail } from '../../domain/lead.js';
import { readModelsFor } from '../../compose/read-models.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { printJson } from '../render/json.js';
import { withApp } from './with-app.js';
import { cliErr, cliOut, cliPath } from '../io.js';

const requireEmail = (raw: string): string => {
  const email = normalizeEmail(raw);
  if (!email) throw new AppError('INVALID_INPUT', "give the person's email address (it is not a valid address)");
  return email;
};

/** `caio privacy export`: everything we hold about one person, as one JSON document. */
export const privacyExportCommand = async (raw: string, options: CommonOptions & { out?: string }): Promise<void> => {
  const email = requireEmail(raw);
  await withApp(configFrom(options), async (app) => {
    const document = await readModelsFor(app).privacy.exportPerson(email, app.clock.now());
    if (options.out) {
      writeFileSync(cliPath(options.out), `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
      cliErr(`wrote ${document.leads.length} lead record(s) and their history to ${options.out}\n`);
    } else {
      printJson(document);
    }
  });
};

/** `caio privacy delete`: erase a person everywhere, keeping only a one-way hash on the suppression list. */
export const privacyDeleteCommand = async (raw: string, options: CommonOptions & { by: string }): Promise<void> => {
  const email = requireEmail(raw);
  if (!options.by.trim()) throw new AppError('INVALID_INPUT', '--by needs the name of the person carrying out the request');
  await withApp(configFrom(options), async (app) => {
    const result = await readModelsFor(app).privacy.erasePerson(email, options.by.trim(), app.clock.now());
    cliOut(
      result.foundAnything
        ? `erased ${result.leadsErased} lead record(s) with their enrichments, scores, drafts and shadow sends${result.batchesChanged ? `, removed them from ${result.batchesChanged} batch(es)` : ''}; ${result.identitiesSuppressed} identity hash(es) added to the suppression list\n`
        : `nothing else was found for that address; its hash was added to the suppression list so it is never imported or contacted\n`,
    );
  });
};
