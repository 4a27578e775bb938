import { Type } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isUuid } from '../ids';
import { MalformedCursorError, PageSizeOutOfRangeError } from './graphql.errors';
import { isDateInRange } from './scalars';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Cursor {
  createdAt: Date;
  id: string;
}

/** Opaque cursor over (created_at, id). created_at columns of paged tables have millisecond precision. */
export function encodeCursor(row: Cursor): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string'
    ) {
      const createdAt = new Date(parsed[0]);
      // In range and a real UUID: Postgres refuses year -271821 and a 36-character non-UUID (both were 500s).
      if (!Number.isNaN(createdAt.getTime()) && isDateInRange(createdAt) && isUuid(parsed[1]))
        return { createdAt, id: parsed[1] };
    }
  } catch {
    // fall through
  }
  throw new MalformedCursorError(field);
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new PageSizeOutOfRangeError(MAX_PAGE_SIZE);
  }
  return first;
}

export interface Page<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount?: number;
}

/**
 * Keyset pagination, newest first: WHERE (created_at, id) < cursor ORDER BY created_at DESC, id DESC.
 * Fetches one extra row to know whether there is a next page.
 */
export async function paginate<E extends ObjectLiteral & Cursor, N>(
  qb: SelectQueryBuilder<E>,
  alias: string,
  args: { first?: number | null; after?: string | null },
  map: (entity: E) => N,
): Promise<Page<N>> {
  const limit = pageSize(args.first);
  if (args.after) {
    const cursor = decodeCursor(args.after);
    qb.andWhere(`(${alias}.created_at, ${alias}.id) < (:cursorCreatedAt, :cursorId)`, {
      cursorCreatedAt: cursor.createdAt,
      cursorId: cursor.id,
    });
  }
  qb.orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .take(limit + 1);
  const rows = await qb.getMany();
  const hasNextPage = rows.length > limit;
  const page = rows.slice(0, limit);
  const edges = page.map((row) => ({ node: map(row), cursor: encodeCursor(row) }));
  return { edges, pageInfo: { hasNextPage, endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null } };
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

/** Relay-style connection type for a node type: `${name}Edge` and `${name}Connection`. */
export function Connection<T>(nodeType: Type<T>, name: string, opts: { totalCount?: boolean } = {}): Type<Page<T>> {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => nodeType)
    node: T;

    @Field()
    cursor: string;
  }

  @ObjectType(`${name}Connection`, { isAbstract: true })
  abstract class BaseConnection {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;
  }

  if (!opts.totalCount) return BaseConnection as unknown as Type<Page<T>>;

  @ObjectType(`${name}Connection`, { isAbstract: true })
  abstract class CountedConnection extends BaseConnection {
    @Field(() => Int)
    totalCount: number;
  }
  return CountedConnection as unknown as Type<Page<T>>;
}
