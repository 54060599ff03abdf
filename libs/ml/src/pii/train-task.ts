import type { TrainTask } from '../train/task';
import { datasetsDir, modelDir } from '../train/paths';
import { trainPiiModel } from './train-pii';

/** `npm run train -- pii`: the PII entity model into `models/pii-ner`. */
export const piiTrainTask: TrainTask = {
  name: 'pii',
  description:
    'PII entity tagger (PERSON, LOCATION, ORGANIZATION, STREET_ADDRESS, DATE_TIME) → models/pii-ner',
  async run({ outDir, seed, quick }) {
    await trainPiiModel({
      outDir: outDir ?? modelDir('pii-ner'),
      datasetRoot: datasetsDir(),
      ...(seed !== undefined ? { seed } : {}),
      ...(quick ? { fakerSentences: 3000, epochs: 1 } : {}),
    });
  },
};
