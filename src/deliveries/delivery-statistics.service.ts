import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ALL_CHANNELS, ChannelScope } from '../auth/principal';
import { isUuid } from '../common/ids';
import { EndpointsService } from '../endpoints/endpoints.service';
import { InvalidSeriesRangeError } from './deliveries.errors';
import { ACTIVE_STATUSES, DeliveryStatus } from './delivery.entity';
import { DeliveryStats, ResponseTimePoint, TimeBucket } from './delivery.model';

const MAX_SERIES_POINTS = 5000;
const BUCKET_MS: Record<TimeBucket, number> = {
  [TimeBucket.MINUTE]: 60_000,
  [TimeBucket.HOUR]: 3_600_000,
  [TimeBucket.DAY]: 86_400_000,
};

/** The statuses each count of DeliveryStats adds up. */
const COUNTED = {
  succeeded: [DeliveryStatus.SUCCEEDED],
  failed: [DeliveryStatus.FAILED, DeliveryStatus.DEAD_LETTER],
  pending: ACTIVE_STATUSES,
  held: [DeliveryStatus.HELD],
};

type Counts = { total: number; succeeded: number; failed: number; pending: number; held: number };
type Times = { avg: number | null; p95: number | null };

/** The count columns over `deliveries`, every status group bound through `bind` (which returns its $n). */
function countColumns(bind: (value: unknown) => string): string {
  const counted = (Object.keys(COUNTED) as (keyof typeof COUNTED)[]).map(
    (name) => `count(*) FILTER (WHERE status = ANY(${bind(COUNTED[name])}::text[]))::int AS ${name}`,
  );
  return ['count(*)::int AS total', ...counted].join(', ');
}

function binder(params: unknown[]): (value: unknown) => string {
  return (value) => `$${params.push(value)}`;
}

function toStats(counts: Counts, times: Times): DeliveryStats {
  const decided = counts.succeeded + counts.failed;
  return {
    ...counts,
    successRate: decided === 0 ? null : counts.succeeded / decided,
    avgResponseTimeMs: times.avg,
    p95ResponseTimeMs: times.p95,
  };
}

/** Delivery counts, response times and time series, aggregated in SQL (never by loading rows). */
@Injectable()
export class DeliveryStatistics {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly endpoints: EndpointsService,
  ) {}

  /**
   * Endpoint.stats batched (DataLoader): the stats of many endpoints of one tenant in one statement. The endpoints
   * were loaded for the caller already, so unlike stats() there is no existence check; unknown ids get zeros.
   */
  async statsByEndpoint(
    tenantId: string,
    endpointIds: readonly string[],
    since?: Date | null,
    until?: Date | null,
  ): Promise<Map<string, DeliveryStats>> {
    const ids = endpointIds.filter(isUuid);
    const params: unknown[] = [tenantId, ids];
    const bind = binder(params);
    const sinceRef = since ? bind(since) : null;
    const untilRef = until ? bind(until) : null;
    const window = (alias: string, time: string) =>
      `${sinceRef ? `AND ${alias}.${time} >= ${sinceRef}` : ''} ${untilRef ? `AND ${alias}.${time} < ${untilRef}` : ''}`;
    const rows: (Counts & Times & { endpoint_id: string })[] = ids.length
      ? await this.dataSource.query(
          `WITH c AS (
             SELECT d.endpoint_id, ${countColumns(bind)}
               FROM deliveries d WHERE d.tenant_id = $1 AND d.endpoint_id = ANY($2::uuid[]) ${window('d', 'created_at')}
              GROUP BY d.endpoint_id),
           t AS (
             SELECT a.endpoint_id, avg(response_time_ms)::float AS avg,
                    percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms)::float AS p95
               FROM delivery_attempts a
              WHERE a.tenant_id = $1 AND a.endpoint_id = ANY($2::uuid[]) AND response_time_ms IS NOT NULL
                    ${window('a', 'started_at')}
              GROUP BY a.endpoint_id)
           SELECT coalesce(c.endpoint_id, t.endpoint_id) AS endpoint_id, coalesce(c.total, 0) AS total,
                  coalesce(c.succeeded, 0) AS succeeded, coalesce(c.failed, 0) AS failed,
                  coalesce(c.pending, 0) AS pending, coalesce(c.held, 0) AS held, t.avg, t.p95
             FROM c FULL JOIN t ON t.endpoint_id = c.endpoint_id`,
          params,
        )
      : [];
    const found = new Map(rows.map((r) => [r.endpoint_id, r]));
    const none = { total: 0, succeeded: 0, failed: 0, pending: 0, held: 0, avg: null, p95: null };
    return new Map(
      endpointIds.map((id) => {
        const r = found.get(id) ?? none;
        const counts = { total: r.total, succeeded: r.succeeded, failed: r.failed, pending: r.pending, held: r.held };
        return [id, toStats(counts, r)];
      }),
    );
  }

  async stats(
    tenantId: string,
    endpointId: string | null | undefined,
    since: Date | null | undefined,
    until: Date | null | undefined,
    channel: ChannelScope,
  ): Promise<DeliveryStats> {
    const scopeIds = await this.scopeEndpointIds(tenantId, endpointId, channel);
    const where = (alias: string, time: string) => {
      const params: unknown[] = [tenantId];
      const bind = binder(params);
      const parts = [`${alias}.tenant_id = $1`];
      if (endpointId) parts.push(`${alias}.endpoint_id = ${bind(endpointId)}`);
      else if (scopeIds) parts.push(`${alias}.endpoint_id = ANY(${bind(scopeIds)}::uuid[])`);
      if (since) parts.push(`${alias}.${time} >= ${bind(since)}`);
      if (until) parts.push(`${alias}.${time} < ${bind(until)}`);
      return { sql: parts.join(' AND '), params, bind };
    };
    const d = where('d', 'created_at');
    const [counts] = await this.dataSource.query(
      `SELECT ${countColumns(d.bind)} FROM deliveries d WHERE ${d.sql}`,
      d.params,
    );
    const a = where('a', 'started_at');
    const [times] = await this.dataSource.query(
      `SELECT avg(response_time_ms)::float AS avg,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms)::float AS p95
         FROM delivery_attempts a WHERE ${a.sql} AND response_time_ms IS NOT NULL`,
      a.params,
    );
    return toStats(counts, times);
  }

  async responseTimeSeries(
    tenantId: string,
    endpointId: string | null | undefined,
    from: Date,
    to: Date,
    bucket: TimeBucket,
    channel: ChannelScope,
  ): Promise<ResponseTimePoint[]> {
    if (!(from < to)) throw new InvalidSeriesRangeError('to', 'must be after from');
    if ((to.getTime() - from.getTime()) / BUCKET_MS[bucket] > MAX_SERIES_POINTS) {
      throw new InvalidSeriesRangeError(
        'bucket',
        `the range holds more than ${MAX_SERIES_POINTS} buckets; use a larger bucket`,
      );
    }
    const scopeIds = await this.scopeEndpointIds(tenantId, endpointId, channel);
    const params: unknown[] = [bucket, tenantId, from, to];
    const endpointClause = endpointId
      ? `AND endpoint_id = $${params.push(endpointId)}`
      : scopeIds
        ? `AND endpoint_id = ANY($${params.push(scopeIds)}::uuid[])`
        : '';
    const rows: {
      bucket_start: Date;
      attempts: number;
      success_count: number;
      failure_count: number;
      avg: number | null;
      p95: number | null;
    }[] = await this.dataSource.query(
      `SELECT date_trunc($1, started_at) AS bucket_start, count(*)::int AS attempts,
              count(*) FILTER (WHERE success)::int AS success_count,
              count(*) FILTER (WHERE NOT success)::int AS failure_count,
              avg(response_time_ms)::float AS avg,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms)::float AS p95
         FROM delivery_attempts
        WHERE tenant_id = $2 AND started_at >= $3 AND started_at < $4 ${endpointClause}
        GROUP BY 1 ORDER BY 1`,
      params,
    );
    return rows.map((r) => ({
      bucketStart: r.bucket_start,
      attempts: r.attempts,
      successCount: r.success_count,
      failureCount: r.failure_count,
      avgResponseTimeMs: r.avg,
      p95ResponseTimeMs: r.p95,
    }));
  }

  /**
   * The endpoint asked for must exist in the tenant and the scope (else NOT_FOUND); with none asked for, a channel
   * scope narrows the figures to its endpoints (their ids), and ALL_CHANNELS to nothing (null).
   */
  private async scopeEndpointIds(
    tenantId: string,
    endpointId: string | null | undefined,
    channel: ChannelScope,
  ): Promise<string[] | null> {
    if (endpointId) {
      await this.endpoints.find(tenantId, endpointId, channel);
      return null;
    }
    return channel === ALL_CHANNELS ? null : this.endpoints.idsInChannel(tenantId, channel);
  }
}
