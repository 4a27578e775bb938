import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsService } from '../common/metrics/metrics.service';

/** The tables the sweep deletes from: the whole label set of its counters. */
export enum RetainedTable {
  Deliveries = 'deliveries',
  DeliveryAttempts = 'delivery_attempts',
  Events = 'events',
  InboundEvents = 'inbound_events',
  AuditLogs = 'audit_logs',
  IdempotencyKeys = 'idempotency_keys',
}

export enum SweepOutcome {
  Completed = 'completed',
  /** Another process held the lock: it is sweeping. */
  Skipped = 'skipped',
  Failed = 'failed',
}

/** The sweep's Prometheus series, in the process registry that /metrics serves. */
@Injectable()
export class RetentionMetrics {
  private readonly rows: Counter<'table'>;
  private readonly statements: Counter<'table'>;
  private readonly sweeps: Counter<'outcome'>;
  private readonly lastDuration: Gauge;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.rows = new Counter({
      name: 'hookline_retention_deleted_rows_total',
      help: 'Rows the retention sweep deleted, by table',
      labelNames: ['table'],
      registers,
    });
    this.statements = new Counter({
      name: 'hookline_retention_statements_total',
      help: 'Bounded DELETE statements the retention sweep ran, by table',
      labelNames: ['table'],
      registers,
    });
    this.sweeps = new Counter({
      name: 'hookline_retention_sweeps_total',
      help: 'Retention sweeps, by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.lastDuration = new Gauge({
      name: 'hookline_retention_last_sweep_duration_seconds',
      help: 'How long the last completed retention sweep took',
      registers,
    });
    for (const table of Object.values(RetainedTable)) {
      this.rows.inc({ table }, 0);
      this.statements.inc({ table }, 0);
    }
    for (const outcome of Object.values(SweepOutcome)) this.sweeps.inc({ outcome }, 0);
  }

  /** One statement ended, having deleted `deleted` rows. */
  statement(table: RetainedTable, deleted: number): void {
    this.statements.inc({ table });
    if (deleted > 0) this.rows.inc({ table }, deleted);
  }

  /** Rows a statement of another table removed with its own (the attempts of deleted deliveries). */
  rowsAlongside(table: RetainedTable, deleted: number): void {
    if (deleted > 0) this.rows.inc({ table }, deleted);
  }

  sweep(outcome: SweepOutcome, seconds?: number): void {
    this.sweeps.inc({ outcome });
    if (outcome === SweepOutcome.Completed && seconds !== undefined) this.lastDuration.set(seconds);
  }
}
