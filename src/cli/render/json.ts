import { cliOut } from '../io.js';

/** `--json` output: one indented document on stdout. */
export const printJson = (value: unknown): void => {
  cliOut(`${JSON.stringify(value, null, 2)}\n`);
};
