import { EntityManager } from 'typeorm';

/**
 * Runs an UPDATE/DELETE ... RETURNING and gives its rows. TypeORM's postgres driver answers such statements
 * with `[rows, affectedCount]` instead of the rows that a SELECT or INSERT ... RETURNING gives.
 */
export async function queryReturning<T = Record<string, unknown>>(
  runner: Pick<EntityManager, 'query'>,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const result: unknown = await runner.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number')
    return result[0] as T[];
  return result as T[];
}
