import { EndpointEntity, EndpointHealth } from '../endpoints/endpoint.entity';
import { DisableCause } from '../endpoints/endpoint.events';
import { findPlatformEventType } from '../event-types/catalog/platform-catalog';
import { PayloadValidator } from '../event-types/payload-validator';
import { OperationalEventType } from '../event-types/platform-event-types';
import { deadLetteredPayload, endpointDisabledPayload, endpointFailingPayload } from './operational-events';

const endpoint = {
  id: '3f1c0b9e-5c43-4d39-a7a4-2b1f0f6de901',
  url: 'https://hooks.example.com/orders',
  health: EndpointHealth.FAILING,
  consecutiveFailures: 12,
  firstFailureAt: new Date('2026-11-01T00:00:00Z'),
  disableAt: new Date('2026-11-06T00:00:00Z'),
  disabledReason: 'failing since 2026-11-01T00:00:00.000Z',
} as EndpointEntity;

describe('operational event payloads', () => {
  const validator = new PayloadValidator();
  const validate = (name: OperationalEventType, payload: unknown): void => {
    const type = findPlatformEventType(name);
    if (!type) throw new Error(`no event type ${name}`);
    validator.validate(type, payload);
  };

  it('match the catalog schemas of their types', () => {
    expect(() =>
      validate(
        OperationalEventType.EndpointDisabled,
        endpointDisabledPayload(endpoint, DisableCause.FAILING, 'HTTP 503'),
      ),
    ).not.toThrow();
    expect(() =>
      validate(OperationalEventType.EndpointFailing, endpointFailingPayload(endpoint, 'HTTP 503', new Date())),
    ).not.toThrow();
    expect(() =>
      validate(
        OperationalEventType.DeliveryDeadLettered,
        deadLetteredPayload({
          deliveryId: 'd1',
          endpointId: endpoint.id,
          url: endpoint.url,
          eventId: 'e1',
          eventType: 'order.created',
          attempts: 8,
          lastError: 'timeout',
          lastResponseStatus: null,
        }),
      ),
    ).not.toThrow();
  });

  it('would be caught by the validator if a required field went missing', () => {
    const broken = { ...endpointDisabledPayload(endpoint, DisableCause.GONE, null), endpointId: undefined };
    expect(() => validate(OperationalEventType.EndpointDisabled, JSON.parse(JSON.stringify(broken)))).toThrow();
  });
});
