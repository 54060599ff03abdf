import * as ort from 'onnxruntime-node';
import { MlError } from './errors';

/** Execution providers we can ask for; only `cpu` is bundled with onnxruntime-node here. */
export type ExecutionProvider = 'cpu' | 'cuda' | 'tensorrt' | 'dml' | 'coreml';

export interface SessionOptions {
  /** Tried in order by onnxruntime; default `['cpu']`. */
  readonly executionProviders?: readonly ExecutionProvider[];
  /** Threads inside one op; 1 suits small models and leaves cores for parallel requests. */
  readonly intraOpThreads?: number;
}

/** Names of the backends this onnxruntime-node build ships. */
export function availableExecutionProviders(): string[] {
  try {
    return ort.listSupportedBackends().map((b) => b.name);
  } catch {
    return ['cpu'];
  }
}

/** Creates an inference session; a provider that cannot start is a clear ML_PROVIDER_UNAVAILABLE. */
export async function createSession(
  modelBytes: Uint8Array,
  what: string,
  options: SessionOptions = {},
): Promise<ort.InferenceSession> {
  const providers = options.executionProviders?.length ? [...options.executionProviders] : ['cpu'];
  const available = availableExecutionProviders();
  const missing = providers.filter((p) => !available.includes(p));
  if (missing.length > 0) {
    throw new MlError(
      'ML_PROVIDER_UNAVAILABLE',
      `execution provider(s) ${missing.join(', ')} not available in this onnxruntime-node build (available: ${available.join(', ')}); use "cpu"`,
      {
        details: { requested: providers, available },
      },
    );
  }
  try {
    return await ort.InferenceSession.create(modelBytes, {
      executionProviders: providers,
      intraOpNumThreads: options.intraOpThreads ?? 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
  } catch (cause) {
    const message = (cause as Error).message ?? String(cause);
    // A provider listed as available can still fail to start when its shared libraries are absent.
    if (providers.some((p) => p !== 'cpu') && /provider|cuda|tensorrt|\.so/iu.test(message)) {
      throw new MlError(
        'ML_PROVIDER_UNAVAILABLE',
        `execution provider(s) ${providers.join(', ')} failed to start for ${what}: ${message}`,
        { cause },
      );
    }
    throw new MlError('ML_MODEL_CORRUPT', `${what} is not a loadable ONNX model: ${message}`, { cause });
  }
}
