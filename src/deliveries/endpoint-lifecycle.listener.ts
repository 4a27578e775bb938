import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { EndpointDisabled, EndpointEnabled, EndpointEvent } from '../endpoints/endpoint.events';
import { OperationalEventType } from '../event-types/platform-event-types';
import { DeliveryRecovery } from './delivery-recovery.service';
import { FanoutService } from './fanout.service';
import { endpointDisabledPayload } from './operational-events';

/**
 * What deliveries do when an endpoint is enabled or disabled, however that happened (by hand, 410 Gone, the
 * health rules): an enabled endpoint's HELD deliveries go, a disabled one is announced as endpoint.disabled to
 * the tenant's endpoints that list it. Runs in every role: a manual toggle is an API request.
 */
@Injectable()
export class EndpointLifecycleListener {
  private readonly logger = new Logger(EndpointLifecycleListener.name);

  constructor(
    private readonly recovery: DeliveryRecovery,
    private readonly fanout: FanoutService,
  ) {}

  @OnEvent(EndpointEvent.Enabled)
  async releaseHeld({ endpoint }: EndpointEnabled): Promise<void> {
    try {
      await this.recovery.releaseHeld(endpoint);
    } catch (error) {
      // The endpoint is enabled either way; the reconciler finds its deliveries again.
      this.logger.error({
        msg: 'releasing HELD deliveries failed',
        endpointId: endpoint.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  @OnEvent(EndpointEvent.Disabled)
  async announceDisabled({ endpoint, cause, lastError }: EndpointDisabled): Promise<void> {
    const payload = endpointDisabledPayload(endpoint, cause, lastError);
    await this.fanout.publishOperational(
      endpoint.tenantId,
      OperationalEventType.EndpointDisabled,
      payload,
      endpoint.id,
    );
  }
}
