import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The provider contracts live in shared/, beside the repository (as on CI); CAIO_SHARED_DIR overrides. */
const sharedDir = process.env.CAIO_SHARED_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared');

export type ContractFixture = { request: { body?: unknown }; response: { status: number; body: unknown } };

export const contractFixture = (provider: string, name: string): ContractFixture => {
  const file = path.join(sharedDir, 'contracts', 'fixtures', provider, name);
  if (!existsSync(file)) throw new Error(`contract fixture ${provider}/${name} not found: shared/ must sit beside the repository (or set CAIO_SHARED_DIR)`);
  return JSON.parse(readFileSync(file, 'utf8')) as ContractFixture;
};
