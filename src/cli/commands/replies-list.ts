import { AppError } from '../../lib/app-error.js';
import { createReplyActionStore } from '../../store/reply-actions-repo.js';
import { createReplyQueries } from '../../store/replies-repo.js';
import { replyListingJson } from '../../compose/replies-view.js';
import { configFrom } from '../config-from.js';
import { cliOut } from '../io.js';
import type { CommonOptions } from '../options.js';
import { printJson } from '../render/json.js';
import { renderTable } from '../render/table.js';
import { withStore } from './with-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `caio replies list [--class C] [--limit N] [--json]`: the replies received, newest first, with what they said. */
export const repliesListCommand = async (options: CommonOptions & { class?: string; limit?: number; json?: boolean }): Promise<void> => {
  await withStore(configFrom(options), async ({ database }) => {
    const rows = await createReplyQueries(database.db).list({ ...(options.class ? { class: options.class } : {}), limit: options.limit ?? 100 });
    if (options.json) return printJson(rows.map(replyListingJson));
    if (rows.length === 0) return void cliOut(options.class ? `no ${options.class} replies\n` : 'no replies yet\n');
    cliOut(
      `${renderTable(
        ['id', 'received', 'lead', 'channel', 'class', 'confidence', 'needs answer'],
        rows.map((r) => [
          r.id,
          r.receivedAt.toISOString().slice(0, 16).replace('T', ' '),
          r.leadEmail ?? '(unknown sender)',
          r.channel,
          `${r.kind ? `${r.class} (${r.kind})` : r.class}${disputedMark(r.llm)}`,
          r.confidence,
          r.needsResponse ? 'yes' : 'no',
        ]),
      )}\n`,
    );
    if (rows.some((r) => r.llm?.verdict === 'disagrees')) cliOut(`${DISPUTED_NOTE}\n`);
  });
};

/** Under the table when a row is marked: what the mark means and where to read more. */
const DISPUTED_NOTE = "[disputed]: a model reads the reply otherwise; the rules' reading stands and was acted on; a person should read it (caio replies show <id>)";

/** The table's mark for a reply whose reading a model disputes (the LLM note's `disagrees`), as `/replies` marks it: the model's class beside the rules'. */
const disputedMark = (llm: { verdict: string; class?: string | null; kind?: string | null } | null | undefined): string =>
  llm?.verdict === 'disagrees' ? ` [disputed: model reads ${llm.class ?? 'another class'}${llm.kind ? ` (${llm.kind})` : ''}]` : '';

/** `caio replies show <id> [--json]`: one reply, its understanding and what its follow-through did. */
export const repliesShowCommand = async (id: string, options: CommonOptions & { json?: boolean }): Promise<void> => {
  if (!UUID.test(id.trim())) throw new AppError('INVALID_INPUT', 'a reply id is a UUID (see caio replies list)');
  await withStore(configFrom(options), async ({ database }) => {
    const reply = await createReplyQueries(database.db).show(id.trim());
    if (!reply) throw new AppError('NOT_FOUND', `no reply with id ${id.trim()}`);
    const actions = await createReplyActionStore(database.db).forReply(reply.id);
    const followThrough = actions.map((a) => ({ kind: a.kind, status: a.status, attempts: a.attempts, notBefore: a.notBefore.toISOString(), doneAt: a.doneAt?.toISOString() ?? null, error: a.lastError }));
    if (options.json) {
      return printJson({
        ...replyListingJson(reply),
        leadId: reply.leadId,
        leadName: reply.leadName,
        company: reply.company,
        returnDate: reply.returnDate?.toISOString() ?? null,
        timeZone: reply.timeZone,
        excerpt: reply.excerpt,
        referredLeadId: reply.referredLeadId,
        pausedUntil: reply.pausedUntil?.toISOString() ?? null,
        // The LLM classifier's note beside the rules' reading (docs/replies.md); null when no model read it.
        llm: reply.llm ?? null,
        followThrough,
      });
    }
    const who = reply.leadEmail ? `${reply.leadName ?? ''} <${reply.leadEmail}>${reply.company ? `, ${reply.company}` : ''}`.trim() : 'an address we never wrote to (no lead)';
    cliOut(`reply ${reply.id} from ${who} (${reply.channel}, ${reply.receivedAt.toISOString()})\n`);
    cliOut(`class: ${reply.class}${reply.kind ? ` (${reply.kind})` : ''}, confidence ${reply.confidence}${reply.needsResponse ? ', needs an answer' : ''}\n`);
    cliOut(`evidence: ${reply.evidence.length ? reply.evidence.map((e) => `"${e}"`).join(', ') : 'none'}\n`);
    for (const t of reply.proposedTimes) cliOut(`proposes: ${t.at} ("${t.text}")\n`);
    if (reply.returnDate) cliOut(`back: ${reply.returnDate.toISOString()}\n`);
    if (reply.pausedUntil) cliOut(`cadence paused until ${reply.pausedUntil.toISOString()}\n`);
    if (reply.referredLeadId) cliOut(`referred lead: ${reply.referredLeadId}\n`);
    if (reply.appointmentId) cliOut(`appointment: ${reply.appointmentId}\n`);
    if (reply.llm)
      cliOut(
        `llm (${reply.llm.model ?? 'model'}): ${reply.llm.verdict}${reply.llm.class ? `, said ${reply.llm.class}${reply.llm.kind ? ` (${reply.llm.kind})` : ''}` : ''}${reply.llm.reason ? ` (${reply.llm.reason})` : ''}${reply.llm.needsPerson ? '; a person should read it' : ''}\n`,
      );
    cliOut(`text: ${reply.excerpt || '(empty)'}\n`);
    for (const a of followThrough) cliOut(`follow-through ${a.kind}: ${a.status}${a.error ? ` (${a.error})` : ''}\n`);
  });
};
