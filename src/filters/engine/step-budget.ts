import { FilterLimitError } from './filter-engine.errors';
import { FilterLimits } from './limits';
import { STEP_COST } from './step-costs';

export interface StepBudgetOptions {
  /** Nodes the JSONPath walks may visit, all queries of the evaluation together. */
  readonly visits?: number;
  /** Wall-clock limit of the evaluation, measured from its first clock check. */
  readonly deadlineMs?: number;
  /** The clock, in milliseconds; injectable for tests. */
  readonly now?: () => number;
  /** What a breach names as its field: filter (the default) or reducer. */
  readonly field?: string;
}

/** How many steps or visits pass between two looks at the clock: cheap enough for the hot path. */
const CLOCK_EVERY = 1_024;

const defaultNow = (): number => performance.now();

/**
 * The work of one evaluation, shared by every leaf (or reducer key) so a wide tree cannot multiply
 * it. Two counters: steps (condition steps, characters scanned or built, one per JSONPath match)
 * and visits (every node a JSONPath walk touches). A breach throws FilterLimitError at once, before
 * the work it would pay for is done. Last resort, a wall-clock deadline checked every 1,024 steps
 * or visits: the clock starts at the first check, so a short evaluation never reads it.
 */
export class StepBudget {
  steps = 0;
  visits = 0;
  /** The step count at which charge() next looks at the limit and the clock (tick() inlines it). */
  checkAt: number;
  readonly visitLimit: number;
  readonly deadlineMs: number;
  private visitCheckAt: number;
  private startedAt = -1;
  private readonly now: () => number;
  /** The field a breach names. */
  readonly field: string;
  /** Set once a limit or the deadline was breached, even if the caller swallowed the error (a leaf is then false). */
  breached = false;

  constructor(
    readonly limit: number = FilterLimits.maxSteps,
    options: StepBudgetOptions = {},
  ) {
    this.visitLimit = options.visits ?? FilterLimits.maxVisits;
    this.deadlineMs = options.deadlineMs ?? FilterLimits.evaluationDeadlineMs;
    this.now = options.now ?? defaultNow;
    this.field = options.field ?? 'filter';
    this.checkAt = Math.min(limit, CLOCK_EVERY);
    this.visitCheckAt = Math.min(this.visitLimit, CLOCK_EVERY);
  }

  charge(count: number): void {
    this.steps += count;
    if (this.steps > this.checkAt) this.overrun();
  }

  /** Steps for work proportional to a string's length: one per STEP_COST.charsPerStep characters (at least one). */
  chargeChars(length: number): void {
    this.charge(length > STEP_COST.charsPerStep ? Math.ceil(length / STEP_COST.charsPerStep) : 1);
  }

  visit(count: number): void {
    this.visits += count;
    if (this.visits > this.visitCheckAt) {
      if (this.visits > this.visitLimit) {
        this.breached = true;
        throwVisitLimit(this.visitLimit, this.field);
      }
      this.checkClock();
      this.visitCheckAt = Math.min(this.visitLimit, this.visits + CLOCK_EVERY);
    }
  }

  /** Called when steps pass checkAt: the limit, else a clock check and the next checkpoint. */
  overrun(): void {
    if (this.steps > this.limit) {
      this.breached = true;
      throwStepLimit(this.limit, this.field);
    }
    this.checkClock();
    this.checkAt = Math.min(this.limit, this.steps + CLOCK_EVERY);
  }

  private checkClock(): void {
    const now = this.now();
    if (this.startedAt < 0) this.startedAt = now;
    else if (now - this.startedAt > this.deadlineMs) {
      this.breached = true;
      throwDeadline(this.deadlineMs, this.field);
    }
  }
}

export function throwStepLimit(limit: number, field = 'filter'): never {
  throw new FilterLimitError(field, `evaluation step limit of ${limit} exceeded`, limit);
}

function throwVisitLimit(limit: number, field: string): never {
  throw new FilterLimitError(field, `JSONPath queries visited more than ${limit} nodes in one evaluation`, limit);
}

function throwDeadline(ms: number, field: string): never {
  throw new FilterLimitError(field, `evaluation took longer than ${ms} ms`, ms);
}
