import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { OutboundHttpClient } from './http-client';
import type { Resolver } from './ssrf-guard';

/** Optional DNS stub (tests map names to loopback); undefined means real DNS. */
export const HTTP_RESOLVER = Symbol('HTTP_RESOLVER');

/**
 * The one OutboundHttpClient of the process (one keep-alive pool), shared by verification and deliveries.
 * Inject it by its class; it is closed when the application shuts down.
 */
@Module({
  providers: [
    { provide: HTTP_RESOLVER, useValue: undefined },
    {
      provide: OutboundHttpClient,
      inject: [APP_CONFIG, HTTP_RESOLVER],
      useFactory: (config: AppConfig, resolve: Resolver | undefined) =>
        new OutboundHttpClient({ allowPrivateTargets: config.allowPrivateTargets, resolve: resolve ?? undefined }),
    },
  ],
  exports: [OutboundHttpClient, HTTP_RESOLVER],
})
export class HttpModule implements OnApplicationShutdown {
  constructor(@Inject(OutboundHttpClient) private readonly client: OutboundHttpClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
