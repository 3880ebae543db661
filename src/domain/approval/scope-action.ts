/**
 * What one frozen batch item does, as a typed value. A batch's scope is stored (and its preview
 * hash computed) over the action's text, `send_email`, `cadence:s3:follow_up` or
 * `revival:72:stale deal:45d`, so batches frozen before this type existed keep their hash; the code
 * reads the text through `readScopeAction` and writes it through `scopeActionText`, never by
 * prefix, regex or split of its own.
 */
export type ScopeAction =
  /** The first touch of an approved draft: an e-mail (Instantly, GHL) or a LinkedIn connection (HeyReach). */
  | { kind: 'first_touch'; touch: 'send_email' | 'linkedin_connect' }
  /** A cadence step that came due: its number and its configured action (`intro`, `follow_up`, ...). */
  | { kind: 'cadence_step'; step: number; action: string }
  /** A stale CRM contact to revive: its score, the reason it scored and how long it has been inactive. */
  | { kind: 'revival'; score: number; reason: string; daysInactive: number }
  /** An approved revival e-mail (a draft under the `revival` angle), sent on the nurture channel (GoHighLevel). */
  | { kind: 'revival_email' };

export const scopeActionText = (action: ScopeAction): string => {
  switch (action.kind) {
    case 'first_touch':
      return action.touch;
    case 'cadence_step':
      return `cadence:s${action.step}:${action.action}`;
    case 'revival':
      return `revival:${action.score}:${action.reason}:${action.daysInactive}d`;
    case 'revival_email':
      return 'revival_email';
  }
};

const CADENCE = /^cadence:s(\d+):(.+)$/;
// The reason may itself hold colons: score first, days last, the reason is what lies between.
const REVIVAL = /^revival:(-?\d+(?:\.\d+)?):(.*):(\d+)d$/;

/** The typed action of a stored item; null for text no version of the code has written. */
export const readScopeAction = (text: string): ScopeAction | null => {
  if (text === 'send_email' || text === 'linkedin_connect') return { kind: 'first_touch', touch: text };
  if (text === 'revival_email') return { kind: 'revival_email' };
  const cadence = CADENCE.exec(text);
  if (cadence) return { kind: 'cadence_step', step: Number(cadence[1]), action: cadence[2]! };
  const revival = REVIVAL.exec(text);
  if (revival) return { kind: 'revival', score: Number(revival[1]), reason: revival[2]!, daysInactive: Number(revival[3]) };
  return null;
};

/**
 * A re-contact of a CRM contact (a revival, or its approved revival e-mail): issue 21 item 3 asks that
 * these form their own batch, so a person approving the day's outbound never approves them unseen.
 */
export const isRecontactAction = (text: string): boolean => {
  const kind = readScopeAction(text)?.kind;
  return kind === 'revival' || kind === 'revival_email';
};
