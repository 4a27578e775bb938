/** Hard limits of the filter engine. Every breach is a clear error, never a hang. */
export const FilterLimits = {
  maxConditionLength: 2_000,
  /** Depth of the parsed condition and of its brackets, checked before any recursion. */
  maxConditionDepth: 32,
  /** Condition steps (one per 64 characters of string work), array-method iterations and JSONPath matches per filter evaluation. */
  maxSteps: 10_000,
  /**
   * Nodes the JSONPath walks of one evaluation (a filter, or one reducer apply) may visit: one full
   * `$..x` walk of the largest payload (256 KiB holds at most ~130,000 nodes) with room to spare,
   * about 10 ms of work.
   */
  maxVisits: 250_000,
  /** Nodes one query may produce (its matches); larger results are refused, not built. */
  maxQueryNodes: 10_000,
  /** Wall-clock limit of one evaluation, the last resort behind the step and visit limits. */
  evaluationDeadlineMs: 50,
  /** JSONPath matches of one reducer apply, all its queries together (a filter has maxSteps). */
  maxReducerSteps: 100_000,
  /** Query leaves (strings starting with `$`) in one reducer. */
  maxReducerQueries: 1_000,
  maxQueryLength: 1_000,
  /** Nesting of the parsed JSONPath AST (brackets are limited by maxConditionDepth). */
  maxQueryAstDepth: 64,
  maxFilterDepth: 32,
  maxFilterNodes: 1_000,
  maxReducerDepth: 32,
  /** JSON.stringify length of a reducer's output, and of its template. */
  maxReducerOutputChars: 256 * 1024,
  /** Longest string a condition may build (concatenation, String(array)). */
  maxStringLength: 64 * 1024,
  /** Characters of a value or condition quoted in an explanation. */
  explanationPreviewChars: 100,
} as const;
