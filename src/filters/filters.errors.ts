import { BadUserInputError } from '../common/errors/domain-error';

export class EmptyFilterReducerError extends BadUserInputError {
  constructor() {
    super('input', 'give a filter, a reducer or both (deleteFilterReducer removes a configuration)');
  }
}

/** An input is bigger than the API accepts (tree size, sample size): refused before any work. */
export class FilterInputTooLargeError extends BadUserInputError {
  constructor(field: string, reason: string, limit: number) {
    super(field, reason, { limit });
  }
}
