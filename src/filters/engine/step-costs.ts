/**
 * What each piece of filter work costs in StepBudget steps, in one table. The interpreter
 * (condition-*.ts) charges these one node at a time; the fused paths (condition-forms.ts,
 * fast-leaf.ts) charge the same sums at once, which trips the limit exactly when charging them one
 * by one would, because nothing between them can fail. Visits (nodes a JSONPath walk touches) are
 * a second counter, one per node.
 */
export const STEP_COST = {
  /** Every condition node evaluated: a literal, a parameter, an operator, a property read, a call. */
  node: 1,
  /** Every iteration of a callback method (some, every, filter, map, find), besides its body's steps. */
  iteration: 1,
  /** Every element an array search (includes, indexOf) compares. */
  comparison: 1,
  /** Every node a JSONPath query matches. */
  match: 1,
  /** Characters scanned or built per step by string work (case mapping, searching, coercion). */
  charsPerStep: 64,
} as const;

/** A node whose operands are each one node (a parameter or a literal): `v > 100` is 3 steps. */
export function leafOperandsSteps(operands: number): number {
  return STEP_COST.node * (1 + operands);
}

/** A literal array: the array and each element, `["US", "CA"]` is 3 steps. */
export function literalArraySteps(length: number): number {
  return STEP_COST.node * (1 + length);
}

/** Steps for string work over `length` characters: one per charsPerStep, none up to charsPerStep. */
export function stringWorkSteps(length: number): number {
  return length > STEP_COST.charsPerStep ? Math.ceil(length / STEP_COST.charsPerStep) : 0;
}
