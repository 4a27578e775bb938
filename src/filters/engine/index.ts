/** The pure filter/reducer engine: no Nest, no database. Services compile once and cache. */
export { compileFilter } from './filter';
export type { CompiledFilter, FilterEvaluation, FilterNode } from './filter';
export { compileReducer } from './reducer';
export type { CompiledReducer } from './reducer';
export { CompiledCache, CompiledFilterCache, CompiledReducerCache } from './compiled-cache';
export { FilterLimitError } from './filter-engine.errors';
export { FilterLimits } from './limits';
