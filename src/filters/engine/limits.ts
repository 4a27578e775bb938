/** Hard limits of the filter engine. Every breach is a clear error, never a hang. */
export const FilterLimits = {
  maxConditionLength: 2_000,
  /** Depth of the parsed condition and of its brackets, checked before any recursion. */
  maxConditionDepth: 32,
  /** Node visits, array-method iterations and JSONPath matches per filter evaluation. */
  maxSteps: 10_000,
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
