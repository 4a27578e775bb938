import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Injectable } from '@nestjs/common';
import type { Server } from 'node:http';
import { GraphqlWsOptions, startGraphqlWs } from './ws-server';

/**
 * Apollo over HTTP as Nest sets it up; graphql-ws through our own server (ws-server.ts), because Nest's
 * GqlSubscriptionService creates its WebSocketServer without a `maxPayload` (100 MiB frames) and cannot be told otherwise.
 */
@Injectable()
export class HooklineApolloDriver extends ApolloDriver {
  private ws?: { stop(): Promise<void> };

  override async start(options: ApolloDriverConfig): Promise<void> {
    const { subscriptions, ...http } = options;
    await super.start(http);
    const ws = (subscriptions as { 'graphql-ws'?: GraphqlWsOptions } | undefined)?.['graphql-ws'];
    if (!ws) return;
    const server = this.httpAdapterHost.httpAdapter.getHttpServer() as Server;
    this.ws = startGraphqlWs(server, {
      ...ws,
      schema: options.schema,
      context: options.context as GraphqlWsOptions['context'],
    });
  }

  override async stop(): Promise<void> {
    await this.ws?.stop();
    await super.stop();
  }
}
