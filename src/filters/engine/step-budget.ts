import { FilterLimitError } from './filter-engine.errors';
import { FilterLimits } from './limits';

/** Shared by every leaf of one filter evaluation, so a wide tree cannot multiply the budget. */
export class StepBudget {
  steps = 0;

  constructor(readonly limit: number = FilterLimits.maxSteps) {}

  charge(count: number): void {
    this.steps += count;
    if (this.steps > this.limit) throwStepLimit(this.limit);
  }
}

export function throwStepLimit(limit: number): never {
  throw new FilterLimitError('filter', `evaluation step limit of ${limit} exceeded`, limit);
}
