import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../lib/app-error.js';
import { normalizeEmail } from '../../domain/lead.js';
import { createPrivacyStore } from '../../store/privacy-repo.js';
import { configFrom, withCommonOptions, type CommonOptions } from '../options.js';
import { printJson, withApp } from './with-app.js';

const requireEmail = (raw: string): string => {
  const email = normalizeEmail(raw);
  if (!email) throw new AppError('INVALID_INPUT', 'give the person\'s email address (it is not a valid address)');
  return email;
};

export const registerPrivacyCommands = (program: Command): void => {
  const privacy = program.command('privacy').description('answer a person who asks what we hold about them, or to be forgotten');

  withCommonOptions(privacy.command('export <email>').description('everything we hold about one person, as one JSON document').option('--out <file>', 'write to this file instead of stdout')).action(
    async (raw: string, options: CommonOptions & { out?: string }) => {
      const email = requireEmail(raw);
      await withApp(configFrom(options), async (app) => {
        const document = await createPrivacyStore(app.database.db).exportPerson(email, app.clock.now());
        if (options.out) {
          writeFileSync(options.out, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
          process.stderr.write(`wrote ${document.leads.length} lead record(s) and their history to ${options.out}\n`);
        } else {
          printJson(document);
        }
      });
    },
  );

  withCommonOptions(
    privacy
      .command('delete <email>')
      .description('erase a person everywhere, keep only a one-way hash so they are never contacted or imported again')
      .requiredOption('--by <name>', 'who is carrying out the request (recorded in the audit log)'),
  ).action(async (raw: string, options: CommonOptions & { by: string }) => {
    const email = requireEmail(raw);
    if (!options.by.trim()) throw new AppError('INVALID_INPUT', '--by needs the name of the person carrying out the request');
    await withApp(configFrom(options), async (app) => {
      const result = await createPrivacyStore(app.database.db).erasePerson(email, options.by.trim(), app.clock.now());
      process.stdout.write(
        result.foundAnything
          ? `erased ${result.leadsErased} lead record(s) with their enrichments, scores, drafts and shadow sends${result.batchesChanged ? `, removed them from ${result.batchesChanged} batch(es)` : ''}; ${result.identitiesSuppressed} identity hash(es) added to the suppression list\n`
          : `nothing else was found for that address; its hash was added to the suppression list so it is never imported or contacted\n`,
      );
    });
  });
};
