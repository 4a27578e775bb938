import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isUuid } from '../common/ids';
import { MicroBatcher } from '../common/micro-batcher';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { queryReturning } from '../database/returning';
import { DeliveryEntity, DeliveryStatus, DUE_STATUSES, FINAL_STATUSES } from './delivery.entity';
import { AttemptOutcome } from './delivery-outcome';

/** A delivery claimed for an attempt, with the endpoint columns the attempt needs, read in the same statement. */
export interface ClaimedRow {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: DeliveryStatus;
  attempt_count: number;
  /** The JSON text to send, as stored: built once at publish, never re-serialised. */
  body: string;
  ordering_key: string | null;
  seq: string;
  replay_of_id: string | null;
  is_test: boolean;
  created_at: Date;
  url: string;
  headers: Record<string, string> | null;
  rate_limit_per_second: number | null;
  /** Read with the claim, so the attempt signs with the secrets of this moment (a rotation in any process). */
  secret_encrypted: string;
  previous_secret_encrypted: string | null;
  previous_secret_expires_at: Date | null;
  /** The event's publish span (README "Tracing"); null when it was published with tracing off. */
  trace_parent: string | null;
}

/** The result of one attempt, as the store writes it. */
export interface AttemptRecord {
  claimed: ClaimedRow;
  startedAt: Date;
  outcome: AttemptOutcome;
  responseTimeMs: number | null;
  responseBody: string | null;
  nextAttemptAt: Date | null;
}

/**
 * The delivery SQL of dispatch: claims, results, hand-backs and ordering lanes. Claims and results go in
 * micro-batches (one statement for many attempts), so Postgres sees a few commits per hundred deliveries; a claim
 * is a lease (IN_FLIGHT until next_attempt_at), and anything a crash interrupts is found again by the reconciler.
 */
@Injectable()
export class DeliveryStore {
  private readonly claimer: MicroBatcher<string, ClaimedRow | null>;
  private readonly writer: MicroBatcher<AttemptRecord, DeliveryEntity | null>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // Claims hold a queue slot, so their window is short; results are recorded off the slot, so theirs can be
    // longer and their batches larger (bench/deliveries.bench.ts measures commits per delivery).
    this.claimer = new MicroBatcher((ids) => this.claimBatch(ids), { maxItems: 200, maxWaitMs: 5 });
    this.writer = new MicroBatcher((records) => this.writeBatch(records), { maxItems: 500, maxWaitMs: 20 });
  }

  /** Null: final, not due, claimed elsewhere, or waiting behind its ordering lane. HELD: its endpoint is disabled. */
  claim(deliveryId: string): Promise<ClaimedRow | null> {
    return this.claimer.submit(deliveryId);
  }

  /** Null: the reconciler reclaimed the delivery meanwhile (its own attempt will report). */
  record(record: AttemptRecord): Promise<DeliveryEntity | null> {
    return this.writer.submit(record);
  }

  /** Sends the batches now (a shutdown does not wait for their windows). */
  flush(): void {
    this.claimer.flush();
    this.writer.flush();
  }

  /** Hands a claimed delivery back, as if never attempted, to be tried again after `delayMs`. */
  async unclaim(claimed: ClaimedRow, delayMs: number): Promise<DeliveryEntity[]> {
    const rows = await queryReturning(
      this.dataSource,
      `UPDATE deliveries SET status = CASE WHEN attempt_count > 1 THEN $4 ELSE $5 END, attempt_count = attempt_count - 1,
              next_attempt_at = now() + make_interval(secs => $2), updated_at = now()
        WHERE id = $1 AND status = $6 AND attempt_count = $3 RETURNING *`,
      [
        claimed.id,
        delayMs / 1000,
        claimed.attempt_count,
        DeliveryStatus.RETRYING,
        DeliveryStatus.PENDING,
        DeliveryStatus.IN_FLIGHT,
      ],
    );
    return rows.map(fromRow);
  }

  /** The next delivery of a lane whose head just became final. */
  async nextInLane(done: DeliveryEntity): Promise<{ id: string; attempt_count: number }[]> {
    return this.dataSource.query(
      `SELECT id, attempt_count FROM deliveries
        WHERE endpoint_id = $1 AND ordering_key = $2 AND status = ANY($3::text[])
        ORDER BY seq LIMIT 1`,
      [done.endpointId, done.orderingKey, DUE_STATUSES],
    );
  }

  private async claimBatch(requested: string[]): Promise<(ClaimedRow | null)[]> {
    const ids = requested.filter(isUuid); // one malformed job must not fail the whole batch
    if (ids.length === 0) return requested.map(() => null);
    const leaseSeconds = (this.config.deliveryTimeoutMs + this.config.leaseGraceMs) / 1000;
    const rows = await queryReturning<ClaimedRow>(
      this.dataSource,
      `UPDATE deliveries d SET
          status = CASE WHEN e.is_active THEN $3 ELSE $4 END,
          attempt_count = d.attempt_count + CASE WHEN e.is_active THEN 1 ELSE 0 END,
          next_attempt_at = CASE WHEN e.is_active THEN now() + make_interval(secs => $2) ELSE NULL END,
          updated_at = now()
        FROM endpoints e
        WHERE d.id = ANY($1::uuid[]) AND e.id = d.endpoint_id
          AND d.status = ANY($5::text[])
          AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= now() + interval '1 second')
          AND (d.ordering_key IS NULL OR NOT EXISTS (
                SELECT 1 FROM deliveries p
                 WHERE p.endpoint_id = d.endpoint_id AND p.ordering_key = d.ordering_key AND p.seq < d.seq
                   AND p.status <> ALL($6::text[])))
        RETURNING d.id, d.tenant_id, d.endpoint_id, d.event_id, d.event_type, d.status, d.attempt_count, d.payload::text AS body,
                  d.ordering_key, d.seq, d.replay_of_id, d.is_test, d.created_at, e.url, e.headers, e.rate_limit_per_second,
                  e.secret_encrypted, e.previous_secret_encrypted, e.previous_secret_expires_at, d.trace_parent`,
      [ids, leaseSeconds, DeliveryStatus.IN_FLIGHT, DeliveryStatus.HELD, DUE_STATUSES, FINAL_STATUSES],
    );
    // A delivery asked for twice in one batch (two jobs naming it) is claimed once: only its first caller gets it.
    const byId = new Map(rows.map((r) => [r.id, r]));
    return requested.map((id) => {
      const row = byId.get(id) ?? null;
      byId.delete(id);
      return row;
    });
  }

  /** One statement: insert the attempts and move each delivery out of IN_FLIGHT. */
  private async writeBatch(records: AttemptRecord[]): Promise<(DeliveryEntity | null)[]> {
    const col = <T>(f: (r: AttemptRecord) => T): T[] => records.map(f);
    const rows = await queryReturning(
      this.dataSource,
      `WITH attempts AS (
         INSERT INTO delivery_attempts (delivery_id, tenant_id, endpoint_id, attempt_number, started_at, response_status, response_time_ms, response_body, error, success)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::int[], $5::timestamptz[], $6::int[], $7::int[], $8::text[], $9::text[], $10::bool[])
       )
       UPDATE deliveries d SET status = v.status, next_attempt_at = v.next_attempt_at, last_response_status = v.response_status,
              last_response_time_ms = v.response_time_ms, last_error = v.error, updated_at = now()
         FROM unnest($1::uuid[], $11::text[], $12::timestamptz[], $6::int[], $7::int[], $9::text[], $4::int[])
              AS v(id, status, next_attempt_at, response_status, response_time_ms, error, attempt_number)
        WHERE d.id = v.id AND d.status = $13 AND d.attempt_count = v.attempt_number
        RETURNING ${RESULT_COLUMNS}`,
      [
        col((r) => r.claimed.id),
        col((r) => r.claimed.tenant_id),
        col((r) => r.claimed.endpoint_id),
        col((r) => r.claimed.attempt_count),
        col((r) => r.startedAt),
        col((r) => r.outcome.responseStatus),
        col((r) => r.responseTimeMs),
        col((r) => r.responseBody),
        col((r) => r.outcome.error),
        col((r) => r.outcome.status === DeliveryStatus.SUCCEEDED),
        col((r) => r.outcome.status),
        col((r) => r.nextAttemptAt),
        DeliveryStatus.IN_FLIGHT,
      ],
    );
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    return records.map((r) => {
      const row = byId.get(r.claimed.id);
      // The body is the claimed one (a delivery's payload never changes): not read back, nor parsed.
      return row ? withLazyPayload(fieldsFromRow(row), r.claimed.body) : null;
    });
  }
}

/** A claimed row in the entity shape (for subscribers: the claim is a status change). */
export function claimedToEntity(r: ClaimedRow): DeliveryEntity {
  const fields: Omit<DeliveryEntity, 'payload'> = {
    id: r.id,
    seq: r.seq,
    tenantId: r.tenant_id,
    endpointId: r.endpoint_id,
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status,
    attemptCount: r.attempt_count,
    nextAttemptAt: null,
    lastResponseStatus: null,
    lastResponseTimeMs: null,
    lastError: null,
    replayOfId: r.replay_of_id,
    isTest: r.is_test,
    orderingKey: r.ordering_key,
    traceParent: r.trace_parent,
    createdAt: r.created_at,
    updatedAt: new Date(),
  };
  return withLazyPayload(fields, r.body);
}

/** Holds the stored JSON text of an entity built on the hot path (see withLazyPayload). */
export const PAYLOAD_TEXT = Symbol('deliveries.payloadText');

/**
 * An entity built from a claim or a result, whose payload is parsed only when something reads it (the status push
 * sends the text itself, see DeliveryNotifier); the text is kept under PAYLOAD_TEXT. Defined on the object, not
 * spread into it: a spread would call the getter.
 */
function withLazyPayload(fields: Omit<DeliveryEntity, 'payload'>, text: string): DeliveryEntity {
  let parsed: Record<string, unknown> | undefined;
  Object.defineProperty(fields, 'payload', {
    enumerable: true,
    configurable: true,
    get: () => (parsed ??= JSON.parse(text) as Record<string, unknown>),
    set: (value: Record<string, unknown>) => (parsed = value),
  });
  Object.defineProperty(fields, PAYLOAD_TEXT, { value: text, enumerable: false });
  return fields as DeliveryEntity;
}

export function payloadTextOf(d: DeliveryEntity): string | undefined {
  return (d as DeliveryEntity & { [PAYLOAD_TEXT]?: string })[PAYLOAD_TEXT];
}

/** What a result write reads back: every column of the row but its payload. */
const RESULT_COLUMNS = [
  'id',
  'seq',
  'tenant_id',
  'endpoint_id',
  'event_id',
  'event_type',
  'status',
  'attempt_count',
  'next_attempt_at',
  'last_response_status',
  'last_response_time_ms',
  'last_error',
  'replay_of_id',
  'is_test',
  'ordering_key',
  'trace_parent',
  'created_at',
  'updated_at',
]
  .map((c) => `d.${c}`)
  .join(', ');

/** Raw `RETURNING d.*` row (snake_case) to the entity shape. */
export function fromRow(r: Record<string, unknown>): DeliveryEntity {
  return { ...fieldsFromRow(r), payload: r.payload as Record<string, unknown> };
}

/** Every field of the entity but the payload, from a raw row. */
function fieldsFromRow(r: Record<string, unknown>): Omit<DeliveryEntity, 'payload'> {
  return {
    id: String(r.id),
    seq: String(r.seq),
    tenantId: String(r.tenant_id),
    endpointId: String(r.endpoint_id),
    eventId: String(r.event_id),
    eventType: String(r.event_type),
    status: r.status as DeliveryStatus,
    attemptCount: Number(r.attempt_count),
    nextAttemptAt: (r.next_attempt_at as Date | null) ?? null,
    lastResponseStatus: (r.last_response_status as number | null) ?? null,
    lastResponseTimeMs: (r.last_response_time_ms as number | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    replayOfId: (r.replay_of_id as string | null) ?? null,
    isTest: Boolean(r.is_test),
    orderingKey: (r.ordering_key as string | null) ?? null,
    traceParent: (r.trace_parent as string | null) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}
