import { BadUserInputError, ErrorCode, UnprocessableError } from '../common/errors/domain-error';
import { findPlatformEventType } from './catalog/platform-catalog';
import { EventTypeDefinition } from './event-type-definition';
import { checkPublishable, checkSubscribable } from './event-type-rules';
import { EventTypeReasonCode } from './event-types.errors';
import { OperationalEventType, TEST_EVENT_TYPE } from './platform-event-types';

function refusal(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (error) {
    if (error instanceof BadUserInputError) return error.details;
    throw error;
  }
  throw new Error('expected a BadUserInputError');
}

const archivedOrder: EventTypeDefinition = {
  ...(findPlatformEventType('order.created') as EventTypeDefinition),
  archived: true,
};
const withArchived = (name: string): EventTypeDefinition | undefined =>
  name === archivedOrder.name ? archivedOrder : findPlatformEventType(name);

describe('checkSubscribable', () => {
  it('accepts catalog types, operational and test ones included, and names every unknown one', () => {
    expect(() =>
      checkSubscribable(findPlatformEventType, [
        'order.created',
        OperationalEventType.EndpointFailing,
        TEST_EVENT_TYPE,
      ]),
    ).not.toThrow();
    expect(
      refusal(() => checkSubscribable(findPlatformEventType, ['order.created', 'order.exploded', 'nope'])),
    ).toEqual({
      field: 'eventTypes',
      reason: 'unknown event types: order.exploded, nope',
      unknown: ['order.exploded', 'nope'],
      reasonCode: EventTypeReasonCode.UnknownEventType,
    });
    expect(refusal(() => checkSubscribable(findPlatformEventType, ['nope'])).reason).toBe('unknown event type: nope');
  });

  it('refuses a new subscription to an archived type, but keeps one the endpoint already had', () => {
    expect(refusal(() => checkSubscribable(withArchived, ['order.created', 'order.updated']))).toEqual({
      field: 'eventTypes',
      reason: 'archived event type: order.created',
      archived: ['order.created'],
      reasonCode: EventTypeReasonCode.EventTypeArchived,
    });
    expect(() => checkSubscribable(withArchived, ['order.created', 'order.updated'], ['order.created'])).not.toThrow();
  });
});

describe('checkPublishable', () => {
  it('passes a current business type through', () => {
    expect(checkPublishable(findPlatformEventType('order.created'), 'order.created', 'input').name).toBe(
      'order.created',
    );
  });

  it('names the unknown, the archived (UNPROCESSABLE) and the platform-only, each with its reasonCode', () => {
    expect(refusal(() => checkPublishable(undefined, 'order.exploded', 'inputs[2]'))).toEqual({
      field: 'inputs[2].eventType',
      reason: 'unknown event type "order.exploded"',
      reasonCode: EventTypeReasonCode.UnknownEventType,
    });
    expect(() => checkPublishable(archivedOrder, 'order.created', 'input')).toThrow(UnprocessableError);
    try {
      checkPublishable(archivedOrder, 'order.created', 'input');
    } catch (error) {
      expect((error as UnprocessableError).code).toBe(ErrorCode.Unprocessable);
      expect((error as UnprocessableError).extensions()).toEqual({
        field: 'input.eventType',
        reason: EventTypeReasonCode.EventTypeArchived,
        reasonCode: EventTypeReasonCode.EventTypeArchived,
      });
      expect((error as UnprocessableError).message).toBe('input.eventType: event type "order.created" is archived');
    }
    for (const name of [...Object.values(OperationalEventType), TEST_EVENT_TYPE]) {
      expect(refusal(() => checkPublishable(findPlatformEventType(name), name, 'input'))).toEqual({
        field: 'input.eventType',
        reason: `"${name}" is published by the platform only`,
        reasonCode: EventTypeReasonCode.EventTypePlatformOnly,
      });
    }
  });
});
