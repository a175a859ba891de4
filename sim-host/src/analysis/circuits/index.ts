// Circuit discovery and reuse: components, interventions measured through an injected engine,
// the ACDC-style search with its control, reuse per task pair, Merullo-style patching, and the
// planted two-task ground truth.
export { modelComponents, searchOrder, populationSizes, type Component, type ComponentSet } from './components';
export { Evaluator, readoutTasks, ABLATION_STREAM, type CircuitEngine, type Condition, type EngineIntervention, type MetricFn, type Replacement, type TaskInfo } from './evaluate';
export { discoverCircuits, tasksToAnalyse, checkThreshold, reuseOf, CircuitsError, DEFAULT_THRESHOLD, DEFAULT_CONTROL_DRAWS, type DiscoverOptions, type Measurer } from './discover';
export { frozenAccuracy, retrainedAccuracy } from './metric';
export { plantedCircuitsText, PLANTED_CIRCUITS, type PlantedCircuits, type PlantedCircuitsOptions } from './planted';
export { circuitsText } from './text';
