import { STEP_COST } from './step-costs';
import { StepBudget } from './step-budget';

/** The values of one run: slot 0 is the condition's parameter, the others its callbacks' parameters. */
export interface Scope {
  readonly vars: unknown[];
  budget: StepBudget;
}

/** A compiled node: its value in the scope, its steps charged to scope.budget as it goes. */
export type Fn = (scope: Scope) => unknown;

/** One node's step: StepBudget.charge(STEP_COST.node) written out, the interpreter's hottest call. */
export const tick = (scope: Scope): void => {
  const budget = scope.budget;
  if ((budget.steps += STEP_COST.node) > budget.checkAt) budget.overrun();
};
