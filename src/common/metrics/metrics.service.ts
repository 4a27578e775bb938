import { ApolloServerPlugin } from '@apollo/server';
import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { QueueName } from '../queue/queue.constants';

/** Prometheus metrics: process, HTTP and GraphQL requests, queue depths. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route'>;
  private readonly gqlRequests: Counter<'operation' | 'type' | 'outcome'>;
  private readonly gqlDuration: Histogram<'type'>;

  constructor(
    @InjectQueue(QueueName.Deliveries) deliveries: Queue,
    @InjectQueue(QueueName.InboundEvents) inbound: Queue,
    @InjectQueue(QueueName.TrackedJobs) tracked: Queue,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'hookline_' });
    this.httpRequests = new Counter({ name: 'hookline_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
    this.httpDuration = new Histogram({ name: 'hookline_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry] });
    this.gqlRequests = new Counter({ name: 'hookline_graphql_operations_total', help: 'GraphQL operations', labelNames: ['operation', 'type', 'outcome'], registers: [this.registry] });
    this.gqlDuration = new Histogram({ name: 'hookline_graphql_operation_duration_seconds', help: 'GraphQL operation duration', labelNames: ['type'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry] });
    const queues = [deliveries, inbound, tracked];
    new Gauge({
      name: 'hookline_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const queue of queues) {
          // Bull waits for Redis indefinitely; a scrape must answer even while Redis is down.
          const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 500).unref());
          const counts = await Promise.race([queue.getJobCounts().catch(() => null), timeout]);
          if (!counts) continue;
          for (const [state, n] of Object.entries(counts)) this.set({ queue: queue.name, state }, n);
        }
      },
    });
  }

  httpMiddleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const end = this.httpDuration.startTimer();
      res.on('finish', () => {
        const route = req.path.startsWith('/inbound/') ? '/inbound/:provider/:integrationId' : req.path;
        end({ method: req.method, route });
        this.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    };
  }

  apolloPlugin(): ApolloServerPlugin {
    const requests = this.gqlRequests;
    const duration = this.gqlDuration;
    return {
      async requestDidStart() {
        const end = duration.startTimer();
        return {
          async willSendResponse(ctx) {
            const type = ctx.operation?.operation ?? 'unknown';
            end({ type });
            requests.inc({ operation: ctx.operationName ?? 'anonymous', type, outcome: ctx.errors?.length ? 'error' : 'ok' });
          },
        };
      },
    };
  }
}
