import { encoderTask } from '../encoder/train/encoder-task';
import { domainSpec } from '../tasks/domain';
import { intentSpec } from '../tasks/intent';
import { piiTrainTask } from '../pii/train-task';
import { jailbreakTask } from '../tasks/jailbreak';
import { bagTask } from './bag-task';
import type { BagTaskSpec } from './bag-task';
import type { TrainTask } from './task';

/** Hashed n-gram classifier specs (also reachable by the experiment runner). */
export const BAG_SPECS: readonly BagTaskSpec[] = [domainSpec, intentSpec];

/**
 * Every task `npm run train -- <task>` knows. To add one, append it here: `bagTask(spec)` for a
 * hashed n-gram classifier spec, or any object implementing TrainTask.
 */
export const TRAIN_TASKS: readonly TrainTask[] = [
  ...BAG_SPECS.map(bagTask),
  jailbreakTask,
  piiTrainTask,
  encoderTask,
];
