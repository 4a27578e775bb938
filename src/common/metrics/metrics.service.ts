import { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { QueueDepths } from '../queue/queue-depths';
import { LabelCap, OTHER_LABEL } from './label-cap';

/** Every request that matched no route (404s, scanners' random paths) is this one `route` value. */
export const UNMATCHED_ROUTE = 'unmatched';
/** Apollo is mounted as middleware, not as a route, so it has no req.route. */
const GRAPHQL_PATH = '/graphql';
/** Per label: more distinct values than this collapse to `other` (a last resort: the values below are already bounded). */
export const MAX_LABEL_VALUES = 100;

/** The matched route template (`/inbound/:provider/:integrationId`), never the client's path. */
export function routeLabel(req: Request): string {
  const template: unknown = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof template === 'string') return `${req.baseUrl ?? ''}${template}`;
  // Inside a mount, express strips req.url (and req.path) to the rest of the path; originalUrl keeps it whole.
  const path = (req.originalUrl ?? req.url).split('?')[0];
  return path === GRAPHQL_PATH || path === `${GRAPHQL_PATH}/` ? GRAPHQL_PATH : UNMATCHED_ROUTE;
}

/**
 * The root field the operation selects, when the schema has it (`publishEvent`); the client's operationName is free
 * text and is never a label. Anything else (a parse error, an unknown field, only `__typename`) is `other`.
 */
export function operationLabel(
  ctx: Pick<GraphQLRequestContextWillSendResponse<object>, 'operation' | 'schema'>,
): string {
  const operation = ctx.operation;
  if (!operation) return OTHER_LABEL;
  const root =
    operation.operation === 'mutation'
      ? ctx.schema.getMutationType()
      : operation.operation === 'subscription'
        ? ctx.schema.getSubscriptionType()
        : ctx.schema.getQueryType();
  const first = operation.selectionSet.selections.find((s) => s.kind === 'Field' && !s.name.value.startsWith('__'));
  const name = first?.kind === 'Field' ? first.name.value : undefined;
  return name && root?.getFields()[name] ? name : OTHER_LABEL;
}

/** Prometheus metrics: process, HTTP and GraphQL requests, queue depths. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route'>;
  private readonly gqlRequests: Counter<'operation' | 'type' | 'outcome'>;
  private readonly gqlDuration: Histogram<'type'>;
  private readonly caps = {
    method: new LabelCap(20),
    route: new LabelCap(MAX_LABEL_VALUES),
    status: new LabelCap(MAX_LABEL_VALUES),
    operation: new LabelCap(MAX_LABEL_VALUES * 2),
  };

  constructor(depths: QueueDepths) {
    collectDefaultMetrics({ register: this.registry, prefix: 'hookline_' });
    this.httpRequests = new Counter({
      name: 'hookline_http_requests_total',
      help: 'HTTP requests',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'hookline_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.gqlRequests = new Counter({
      name: 'hookline_graphql_operations_total',
      help: 'GraphQL operations',
      labelNames: ['operation', 'type', 'outcome'],
      registers: [this.registry],
    });
    this.gqlDuration = new Histogram({
      name: 'hookline_graphql_operation_duration_seconds',
      help: 'GraphQL operation duration',
      labelNames: ['type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    new Gauge({
      name: 'hookline_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const { queue, counts } of await depths.read()) {
          for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
        }
      },
    });
  }

  httpMiddleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const end = this.httpDuration.startTimer();
      res.on('finish', () => {
        const route = this.caps.route.value(routeLabel(req));
        const method = this.caps.method.value(req.method);
        end({ method, route });
        this.httpRequests.inc({ method, route, status: this.caps.status.value(String(res.statusCode)) });
      });
      next();
    };
  }

  apolloPlugin(): ApolloServerPlugin {
    const requests = this.gqlRequests;
    const duration = this.gqlDuration;
    const operations = this.caps.operation;
    return {
      async requestDidStart() {
        const end = duration.startTimer();
        return {
          async willSendResponse(ctx) {
            const type = ctx.operation?.operation ?? 'unknown';
            end({ type });
            requests.inc({
              operation: operations.value(operationLabel(ctx)),
              type,
              outcome: ctx.errors?.length ? 'error' : 'ok',
            });
          },
        };
      },
    };
  }
}
