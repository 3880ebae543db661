import { benchPipelineWallTime } from './pipeline-wall-time.js';
import { benchScoreAndCraft } from './score-and-craft.js';

/** `npm run bench`: each benchmark prints its figures with a baseline measured in the same run. */
const results = [benchScoreAndCraft(), await benchPipelineWallTime()];
for (const result of results) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
