import { Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { shutdownTelemetry } from './telemetry';

/** Flushes the batched spans once everything else has stopped (attempts drained, results written). */
@Injectable()
export class TelemetryShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await shutdownTelemetry();
  }
}

@Module({ providers: [TelemetryShutdown] })
export class TelemetryModule {}
