import { BadUserInputError } from '../errors/domain-error';
import { decodeCursor, encodeCursor } from './pagination';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const ID = '0b6a4a3e-5d7c-4b8e-9f1a-2c3d4e5f6a7b';

describe('decodeCursor', () => {
  it('round-trips a cursor (positive control)', () => {
    const row = { createdAt: new Date('2026-01-02T03:04:05.678Z'), id: ID };
    expect(decodeCursor(encodeCursor(row))).toEqual(row);
  });

  it.each([
    ['year -271821', ['-271821-04-20T00:00:00.000Z', ID]],
    ['year 275760', ['+275760-09-13T00:00:00.000Z', ID]],
    ['year 10000', ['+010000-01-01T00:00:00.000Z', ID]],
    ['a 36-character run of dashes', ['2026-01-01T00:00:00.000Z', '-'.repeat(36)]],
    ['36 hex digits without dashes', ['2026-01-01T00:00:00.000Z', 'a'.repeat(36)]],
    ['a UUID with a NUL', ['2026-01-01T00:00:00.000Z', `${ID.slice(0, 35)}\u0000`]],
  ])('refuses a cursor that decodes to %s as BAD_USER_INPUT on the argument', (_label, payload) => {
    let caught: unknown;
    try {
      decodeCursor(b64(payload), 'after');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BadUserInputError);
    expect((caught as BadUserInputError).details).toEqual({
      field: 'after',
      reason: 'malformed cursor',
      reasonCode: 'CURSOR_MALFORMED',
    });
  });
});
