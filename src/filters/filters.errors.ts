import { BadUserInputError, LimitExceededError, NotFoundError } from '../common/errors/domain-error';

export { FilterShapeError } from './engine/filter-engine.errors';

export class UnknownEventTypeError extends BadUserInputError {
  constructor(eventType: string) {
    super('eventType', `unknown event type "${eventType.slice(0, 100)}"; see the eventTypes query`);
  }
}

export class EmptyFilterReducerError extends BadUserInputError {
  constructor() {
    super('input', 'give a filter, a reducer or both (deleteFilterReducer removes a configuration)', {
      reasonCode: 'FILTER_REDUCER_EMPTY',
    });
  }
}

/** An input is bigger than the API accepts (tree size, sample size): refused before any work. reasonCode LIMIT_EXCEEDED. */
export class FilterInputTooLargeError extends LimitExceededError {}

/**
 * The endpoint a configuration is saved for is not the tenant's, or was deleted meanwhile.
 * Same message and reasonCode (ENDPOINT_NOT_FOUND) as the endpoints module's own lookup.
 */
export class FilterEndpointNotFoundError extends NotFoundError {
  constructor(endpointId: string) {
    super('Endpoint', endpointId);
  }
}
