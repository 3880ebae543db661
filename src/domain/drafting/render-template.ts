import { err, ok, type Result } from '../../lib/result.js';

export type UnfilledVariable = { code: 'unfilled_variable'; variables: string[] };

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;
/** Anything left that still looks like a template token: `{{x}}`, `{x}`, `{ x }`. */
const LEFTOVER = /\{\{[^}]*\}\}|\{\s*[a-z_]+\s*\}/i;

/** Fill `{{variable}}`s. A missing or empty value, or any leftover token, is an error: a draft is never queued half-filled. */
export const renderTemplate = (template: string, values: Readonly<Record<string, string | null | undefined>>): Result<string, UnfilledVariable> => {
  const missing = new Set<string>();
  const text = template.replace(PLACEHOLDER, (_m, name: string) => {
    const value = values[name];
    if (value === null || value === undefined || value.trim() === '') {
      missing.add(name);
      return '';
    }
    return value;
  });
  if (missing.size > 0) return err({ code: 'unfilled_variable', variables: [...missing] });
  const leftover = LEFTOVER.exec(text);
  if (leftover) return err({ code: 'unfilled_variable', variables: [leftover[0]] });
  return ok(text);
};
