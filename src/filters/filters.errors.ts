import { BadUserInputError, LimitExceededError } from '../common/errors/domain-error';

export { FilterShapeError } from './engine/filter-engine.errors';

export class EmptyFilterReducerError extends BadUserInputError {
  constructor() {
    super('input', 'give a filter, a reducer or both (deleteFilterReducer removes a configuration)', {
      reasonCode: 'FILTER_REDUCER_EMPTY',
    });
  }
}

/** An input is bigger than the API accepts (tree size, sample size): refused before any work. reasonCode LIMIT_EXCEEDED. */
export class FilterInputTooLargeError extends LimitExceededError {}
