import type { SelectQueryBuilder } from 'typeorm';
import { MalformedCursorError } from '../common/graphql/graphql.errors';
import { isDateInRange } from '../common/graphql/scalars';
import { unstorableReason } from '../common/graphql/storable-text';
import { isUuid } from '../common/ids';
import { InboundEventSortField, SortDirection } from './dto/inbound-event-order.input';
import type { InboundEventEntity } from './inbound-event.entity';
import { CursorOrderingMismatchError } from './inbound-events.errors';

type SortValue = string | number | null;

interface SortColumn {
  column: string;
  read(e: InboundEventEntity): SortValue;
  /** Checks a cursor value and turns it into a query parameter. */
  parse(value: unknown): Date | string | number | null | undefined;
}

const dateColumn = (column: string, read: (e: InboundEventEntity) => Date | null): SortColumn => ({
  column,
  read: (e) => read(e)?.toISOString() ?? null,
  parse: (value) => {
    if (value === null) return null;
    const date = typeof value === 'string' ? new Date(value) : null;
    return date && !Number.isNaN(date.getTime()) && isDateInRange(date) ? date : undefined;
  },
});

/** A cursor's string value goes into SQL as a parameter: Postgres refuses NUL (a 500), so it is malformed. */
const storableString = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length <= 1000 && unstorableReason(v) === null ? v : undefined;

const SORT_COLUMNS: Record<InboundEventSortField, SortColumn> = {
  [InboundEventSortField.RECEIVED_AT]: dateColumn('received_at', (e) => e.receivedAt),
  [InboundEventSortField.PROCESSED_AT]: dateColumn('processed_at', (e) => e.processedAt),
  [InboundEventSortField.ATTEMPTS]: {
    column: 'attempts',
    read: (e) => e.attempts,
    parse: (v) => (Number.isSafeInteger(v) && Math.abs(v as number) <= 2 ** 31 - 1 ? (v as number) : undefined),
  },
  [InboundEventSortField.EVENT_CODE]: {
    column: 'event_code',
    read: (e) => e.eventCode,
    parse: (v) => storableString(v),
  },
  [InboundEventSortField.STATUS]: { column: 'status', read: (e) => e.status, parse: (v) => storableString(v) },
};

export interface InboundEventOrdering {
  field: InboundEventSortField;
  direction: SortDirection;
}

export const DEFAULT_ORDERING: InboundEventOrdering = {
  field: InboundEventSortField.RECEIVED_AT,
  direction: SortDirection.DESC,
};

interface CursorPayload {
  f: InboundEventSortField;
  d: SortDirection;
  v: SortValue;
  id: string;
}

/** Opaque cursor over (sort value, id); it remembers its ordering so it cannot be replayed under another one. */
export function encodeInboundCursor(e: InboundEventEntity, ordering: InboundEventOrdering): string {
  const payload: CursorPayload = {
    f: ordering.field,
    d: ordering.direction,
    v: SORT_COLUMNS[ordering.field].read(e),
    id: e.id,
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeInboundCursor(
  cursor: string,
  ordering: InboundEventOrdering,
): { value: Date | string | number | null; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new MalformedCursorError('after');
  }
  if (typeof parsed !== 'object' || parsed === null || !isUuid((parsed as CursorPayload).id))
    throw new MalformedCursorError('after');
  const { f, d, v, id } = parsed as CursorPayload;
  if (f !== ordering.field || d !== ordering.direction) throw new CursorOrderingMismatchError();
  const value = SORT_COLUMNS[ordering.field].parse(v);
  if (value === undefined) throw new MalformedCursorError('after');
  return { value, id };
}

/**
 * Orders by (sort column, id) with NULLs last in both directions (only processed_at is nullable) and,
 * given a cursor, keeps the rows strictly after it.
 */
export function applyOrdering(
  qb: SelectQueryBuilder<InboundEventEntity>,
  alias: string,
  ordering: InboundEventOrdering,
  after?: string | null,
): void {
  const col = `${alias}.${SORT_COLUMNS[ordering.field].column}`;
  const cmp = ordering.direction === SortDirection.ASC ? '>' : '<';
  if (after) {
    const cursor = decodeInboundCursor(after, ordering);
    if (cursor.value === null) {
      qb.andWhere(`(${col} IS NULL AND ${alias}.id ${cmp} :cursorId)`, { cursorId: cursor.id });
    } else {
      qb.andWhere(
        `(${col} ${cmp} :cursorValue OR (${col} = :cursorValue AND ${alias}.id ${cmp} :cursorId) OR ${col} IS NULL)`,
        {
          cursorValue: cursor.value,
          cursorId: cursor.id,
        },
      );
    }
  }
  qb.orderBy(col, ordering.direction, 'NULLS LAST').addOrderBy(`${alias}.id`, ordering.direction);
}
