// Public surface of @sr/classifier-worker.
export { createClassifierWorker, type ClassifierWorker, type ClassifierWorkerDeps } from './worker';
export { ClassifierEngine, type ClassifierEngineOptions, type TextSignals } from './engine';
export { textToClassify, type ContextOptions } from './text';
export { selectTools, shouldRank, type ToolsResult } from './tool-selection';
export { CustomCategories } from './custom-categories';
export { createClassifierMetrics, type ClassifierMetrics } from './metrics';
