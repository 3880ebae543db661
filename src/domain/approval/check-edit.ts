import type { SenderSettings } from '../drafting/settings.js';

export type EditProblem = { rule: string; message: string };

const PLACEHOLDER = /\{\{[^}]*\}\}|\{\s*[a-z_]+\s*\}/i;

/**
 * A reviewer's edit is re-checked before it is kept: a subject and a body, no template
 * placeholder, and the compliant footer (physical address and unsubscribe link) still there.
 */
export const checkEdit = (edit: { subject: string; body: string }, sender: SenderSettings): EditProblem[] => {
  const problems: EditProblem[] = [];
  if (edit.subject.trim() === '') problems.push({ rule: 'EDIT-SUBJECT', message: 'the subject is empty' });
  if (edit.body.trim() === '') problems.push({ rule: 'EDIT-BODY', message: 'the body is empty' });
  if (PLACEHOLDER.test(edit.subject) || PLACEHOLDER.test(edit.body)) problems.push({ rule: 'PERS-001', message: 'a template placeholder is left in the text' });
  if (edit.body.trim() !== '') {
    if (!edit.body.includes(sender.physicalAddress)) problems.push({ rule: 'FOOTER-ADDRESS', message: 'the footer lost the physical postal address' });
    if (!edit.body.includes(sender.unsubscribeUrl)) problems.push({ rule: 'FOOTER-UNSUBSCRIBE', message: 'the footer lost the unsubscribe link' });
  }
  return problems;
};
