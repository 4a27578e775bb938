import { ApiKeyEntity } from '../auth/api-key.entity';
import { AuditLogEntity } from '../auth/audit-log.entity';
import { PortalSessionEntity } from '../auth/portal-session.entity';
import { TenantEntity } from '../auth/tenant.entity';
import { IdempotencyKeyEntity } from '../common/idempotency/idempotency-key.entity';
import { TrackedJobEntity } from '../tracked-jobs/tracked-job.entity';
import { DeliveryAttemptEntity } from '../deliveries/delivery-attempt.entity';
import { DeliveryEntity } from '../deliveries/delivery.entity';
import { EventEntity } from '../deliveries/event.entity';
import { EndpointEntity } from '../endpoints/endpoint.entity';
import { EventTypeEntity } from '../event-types/event-type.entity';
import { TenantEventTypeEntity } from '../event-types/tenant-event-type.entity';
import { FilterReducerEntity } from '../filters/filter-reducer.entity';
import { InboundEventEntity } from '../inbound-events/inbound-event.entity';
import { IntegrationEntity } from '../integrations/integration.entity';
import { TemuWebhookEntity } from '../integrations/temu-webhook.entity';
import { WebhookRegistrationEntity } from '../registrations/webhook-registration.entity';
import { RetentionPolicyEntity } from '../retention/retention-policy.entity';

/** Every table the app maps; feature modules add theirs here. */
export const ENTITIES = [
  TenantEntity,
  ApiKeyEntity,
  AuditLogEntity,
  PortalSessionEntity,
  IdempotencyKeyEntity,
  TrackedJobEntity,
  EventTypeEntity,
  TenantEventTypeEntity,
  EndpointEntity,
  EventEntity,
  DeliveryEntity,
  DeliveryAttemptEntity,
  FilterReducerEntity,
  IntegrationEntity,
  TemuWebhookEntity,
  InboundEventEntity,
  WebhookRegistrationEntity,
  RetentionPolicyEntity,
];
