import { BadUserInputError } from '../common/errors/domain-error';
import { InboundEventSortField, SortDirection } from './dto/inbound-event-order.input';
import { decodeInboundCursor, encodeInboundCursor } from './inbound-event-cursor';
import { InboundEventEntity, InboundEventStatus } from './inbound-event.entity';

const ordering = { field: InboundEventSortField.PROCESSED_AT, direction: SortDirection.ASC };

function entity(processedAt: Date | null): InboundEventEntity {
  return Object.assign(new InboundEventEntity(), {
    id: '0b6a4a3e-5d7c-4b8e-9f1a-2c3d4e5f6a7b',
    processedAt,
    attempts: 2,
    status: InboundEventStatus.FAILED,
    eventCode: 'X',
    receivedAt: new Date(),
  });
}

describe('inbound event cursors', () => {
  it('round-trips a value and a NULL value with the id', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    expect(decodeInboundCursor(encodeInboundCursor(entity(at), ordering), ordering)).toEqual({
      value: at,
      id: entity(null).id,
    });
    expect(decodeInboundCursor(encodeInboundCursor(entity(null), ordering), ordering)).toEqual({
      value: null,
      id: entity(null).id,
    });
  });

  it('refuses garbage and a cursor of another ordering with BAD_USER_INPUT on "after"', () => {
    const other = { field: InboundEventSortField.ATTEMPTS, direction: SortDirection.ASC };
    for (const cursor of [
      'not-a-cursor',
      '',
      'e30',
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from('null').toString('base64url'),
      encodeInboundCursor(entity(null), other),
    ]) {
      expect(() => decodeInboundCursor(cursor, ordering)).toThrow(BadUserInputError);
    }
  });

  it.each([
    [
      'year -271821',
      { f: 'PROCESSED_AT', d: 'ASC', v: '-271821-04-20T00:00:00.000Z', id: '0b6a4a3e-5d7c-4b8e-9f1a-2c3d4e5f6a7b' },
      ordering,
    ],
    [
      'year 275760',
      { f: 'PROCESSED_AT', d: 'ASC', v: '+275760-09-13T00:00:00.000Z', id: '0b6a4a3e-5d7c-4b8e-9f1a-2c3d4e5f6a7b' },
      ordering,
    ],
    [
      'a 36-character non-UUID id',
      { f: 'PROCESSED_AT', d: 'ASC', v: null, id: '------------------------------------' },
      ordering,
    ],
    [
      'an event code with NUL',
      { f: 'EVENT_CODE', d: 'ASC', v: 'ORDER\u0000', id: '0b6a4a3e-5d7c-4b8e-9f1a-2c3d4e5f6a7b' },
      { field: InboundEventSortField.EVENT_CODE, direction: SortDirection.ASC },
    ],
    [
      'an event code with a lone surrogate',
      { f: 'EVENT_CODE', d: 'ASC', v: 'ORDER\ud800', id: '0b6a4a3e-5d7c-4b8e-9f1a-2c3d4e5f6a7b' },
      { field: InboundEventSortField.EVENT_CODE, direction: SortDirection.ASC },
    ],
    [
      'attempts beyond int4',
      { f: 'ATTEMPTS', d: 'ASC', v: 2 ** 40, id: '0b6a4a3e-5d7c-4b8e-9f1a-2c3d4e5f6a7b' },
      { field: InboundEventSortField.ATTEMPTS, direction: SortDirection.ASC },
    ],
  ])('refuses a cursor with %s as a malformed cursor', (_label, payload, order) => {
    const cursor = Buffer.from(JSON.stringify(payload)).toString('base64url');
    expect(() => decodeInboundCursor(cursor, order)).toThrow('after: malformed cursor');
  });
});
