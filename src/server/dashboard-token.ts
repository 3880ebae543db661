import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The dashboard token: DASHBOARD_AUTH_TOKEN when set; else generated once into
 * `<data-dir>/dashboard-token` (mode 0600) and read from there. Its value is never printed or logged:
 * the caller says where it is.
 */
export const resolveDashboardToken = (configured: string | undefined, dataDir: string): { token: string; source: string } => {
  if (configured) return { token: configured, source: 'DASHBOARD_AUTH_TOKEN' };
  const file = path.join(dataDir, 'dashboard-token');
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return { token, source: file };
  }
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, source: `${file} (generated now)` };
};
