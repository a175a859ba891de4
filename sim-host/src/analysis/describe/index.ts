// Describe Neurons: the analysis core (activity per unit per window + window metadata → descriptions).
export { buildAtoms, normaliseLabel, type Atom, type AtomKind, type AtomSet, type WindowMeta } from './atoms';
export { describeUnits, describeUnitsAsync, DEFAULT_EXEMPLARS, benjaminiHochberg, mutualInformation, topIoU, formulaAtoms, type Activity, type DescribeOptions, type DescribeResult, type DescriptionGroup, type UnitDescription } from './describe';
export { DEFAULT_SEARCH, Searcher, formulaScore, formulaMask, Op, type Formula, type SearchParams, type SearchResult } from './search';
export { atomPhrase, describeText, formulaString } from './text';
export { plantedActivity, plantedTrials, poissonFromUniform, PLANTED_GROUPS, EPOCHS, type Planted, type PlantedGroup, type PlantedOptions } from './planted';
export { modelWindows, spikeCounts, problemPlace, describablePopulations, type ModelWindows, type WindowProblem } from './from-run';
export { plantedModelText, PLANTED_POPULATIONS, type PlantedModelOptions } from './planted-model';
export { descriptionsView, descriptionsCsv, descriptionsJson, populationHoverText, rasterHighlight, type PopulationResult } from './report';
