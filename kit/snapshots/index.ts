/**
 * Heap snapshot analysis for the hub and the tests: read a `.heapsnapshot` (parse.ts), walk it
 * (heap-graph.ts), compare two by constructor (compare.ts), find why objects stay alive
 * (retainer-tree.ts), group paths by shape (path-shapes.ts), say them in words (words.ts) and point
 * at the learner's source (sources.ts). `analyseSnapshotFiles` is the one call the hub makes.
 */
export type * from './types.ts';
export { HeapGraph } from './heap-graph.ts';
export { parseSnapshot, readSnapshotFile, SnapshotFormatError, type ParsedSnapshot } from './parse.ts';
export { compareSnapshots, summarise, isInternalClass, type SnapshotComparison, type SnapshotSummary } from './compare.ts';
export { retainerTree, retainerPath, pathInTree, type RetainerTree } from './retainer-tree.ts';
export { foldRepeats, nameShape, representativePath, newInstancesByClass } from './path-shapes.ts';
export { describePath, describeStep, pathInOneLine, firstLearnerStep } from './words.ts';
export { findInSources, linkToSources } from './sources.ts';
export { analyseSnapshots, analyseSnapshotFiles, analyseGraphs, growingConstructors, chooseExplained, type AnalyseOptions, type Explained } from './analyse.ts';
