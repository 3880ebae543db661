import { benchImportFile } from './import-file.js';
import { benchEnrichRateLimit } from './enrich-rate-limit.js';
import { benchDispatch } from './dispatch.js';
import { benchCadenceDue } from './cadence-due.js';
import { benchWebhookIngest } from './webhook-ingest.js';
import { benchDeliveryProcessing } from './delivery-processing.js';
import { benchGrowth } from './growth.js';
import { benchReplyUnderstanding } from './reply-understanding.js';
import { benchDashboardApi } from './dashboard-api.js';
import { benchDashboardPages } from './dashboard-pages.js';
import { benchPipelineWallTime } from './pipeline-wall-time.js';
import { benchScoreAndCraft } from './score-and-craft.js';
import { benchCadenceCopy } from './cadence-copy.js';
import { benchWorkers } from './workers.js';
import { benchCliBesideServer, benchCliStartup } from './cli-startup.js';
import { benchQueenAsk } from './queen-ask.js';
import { benchSimulation } from './simulation.js';

/** `npm run bench`: each benchmark prints its figures with a baseline measured in the same run. */
const only = process.argv[2];
const benches: Record<string, () => unknown> = {
  'score-and-craft': benchScoreAndCraft,
  'cadence-copy': benchCadenceCopy,
  pipeline: benchPipelineWallTime,
  import: benchImportFile,
  'enrich-rate-limit': benchEnrichRateLimit,
  dispatch: benchDispatch,
  'cadence-due': benchCadenceDue,
  'webhook-ingest': benchWebhookIngest,
  'delivery-processing': () => benchDeliveryProcessing(),
  'dashboard-api': benchDashboardApi,
  'dashboard-pages': benchDashboardPages,
  growth: benchGrowth,
  'reply-understanding': benchReplyUnderstanding,
  workers: benchWorkers,
  'cli-startup': benchCliStartup,
  'cli-beside-server': () => benchCliBesideServer(),
  'queen-ask': benchQueenAsk,
  simulation: () => benchSimulation(),
};
for (const [name, bench] of Object.entries(benches)) {
  if (only && only !== name) continue;
  process.stdout.write(`${JSON.stringify(await bench(), null, 2)}\n`);
}
