// Public surface of @sr/guard-worker.
export { createGuardWorker, type GuardWorker, type GuardWorkerDeps } from './worker';
export { GuardEngine, FALLBACK_JAILBREAK_THRESHOLD, type GuardEngineOptions } from './engine';
export { JailbreakDetector, type JailbreakDetectorOptions, type ScoreTexts } from './jailbreak/detector';
export { loadJailbreakModel, recommendedThreshold, type JailbreakModel } from './jailbreak/model';
export { scanVariants, normaliseText, type ScanVariant, type ScanOptions } from './jailbreak/normalise';
export {
  slidingWindows,
  planWindows,
  DEFAULT_WINDOWS,
  type WindowOptions,
  type WindowPlan,
} from './jailbreak/windows';
export { scanTargets, DEFAULT_SCAN_ROLES, type ScanTarget } from './jailbreak/targets';
export { PiiGuard, loadPiiDetector, type PiiFinder, type PiiResult } from './pii-guard';
export { createGuardMetrics, type GuardMetrics } from './metrics';
