import { compileFilter, CompiledFilterCache, CompiledReducerCache, compileReducer, FilterNode } from './engine';
import { errorReason } from './engine/filter-engine.errors';
import { StepBudget } from './engine/step-budget';

/** What fan-out needs of a stored configuration. */
export interface FanoutConfig {
  id: string;
  endpointId: string;
  filter: Record<string, unknown> | null;
  reducer: Record<string, unknown> | null;
  updatedAt: Date;
}

/** deliver false: the filter rejected the event, create no delivery. data: the body to deliver. */
export interface FanoutDecision {
  deliver: boolean;
  data: unknown;
}

export interface FanoutProblem {
  configId: string;
  endpointId: string;
  part: 'filter' | 'reducer';
  reason: string;
  /** What fan-out did about it. */
  outcome: 'delivered the original payload' | 'not delivered';
}

/**
 * Compiled filters and reducers of saved configurations, cached by config id and checked against
 * updatedAt: another process may have saved a newer version, and a stale entry is then rebuilt
 * instead of used, whether or not this process was told to invalidate it.
 */
export class CompiledConfigs {
  private readonly filters = new CompiledFilterCache();
  private readonly reducers = new CompiledReducerCache();

  constructor(private readonly onProblem: (problem: FanoutProblem) => void) {}

  /**
   * Never throws. A configuration that cannot run (it no longer compiles, or its reducer breaches a
   * limit on this payload, e.g. output over 256 KiB) delivers the original payload and is reported:
   * we would rather deliver an unshaped event than lose it silently. A filter whose evaluation hits a
   * limit is false (not delivered to that endpoint) and is reported too.
   */
  decide(config: FanoutConfig, payload: unknown): FanoutDecision {
    const version = String(config.updatedAt.getTime());
    if (config.filter !== null) {
      const node = config.filter as FilterNode;
      try {
        // matches(): no explanation is built on the hot path; a failing leaf is already false.
        const budget = new StepBudget();
        if (!this.filters.get(config.id, version, () => compileFilter(node)).matches(payload, budget)) {
          // Fail closed: filters route events between shops and channels, so an event whose filter could not be
          // decided is not sent to this endpoint. Reported, never silent.
          if (budget.breached) {
            this.onProblem({
              configId: config.id,
              endpointId: config.endpointId,
              part: 'filter',
              reason: 'the filter hit an evaluation limit on this payload',
              outcome: 'not delivered',
            });
          }
          return { deliver: false, data: payload };
        }
      } catch (error) {
        this.onProblem({
          configId: config.id,
          endpointId: config.endpointId,
          part: 'filter',
          reason: errorReason(error),
          outcome: 'delivered the original payload',
        });
        return { deliver: true, data: payload };
      }
    }
    if (config.reducer === null) return { deliver: true, data: payload };
    const template = config.reducer;
    try {
      return {
        deliver: true,
        data: this.reducers.get(config.id, version, () => compileReducer(template)).apply(payload),
      };
    } catch (error) {
      this.onProblem({
        configId: config.id,
        endpointId: config.endpointId,
        part: 'reducer',
        reason: errorReason(error),
        outcome: 'delivered the original payload',
      });
      return { deliver: true, data: payload };
    }
  }

  invalidate(configId: string): void {
    this.filters.invalidate(configId);
    this.reducers.invalidate(configId);
  }

  get size(): { filters: number; reducers: number } {
    return { filters: this.filters.size, reducers: this.reducers.size };
  }
}
