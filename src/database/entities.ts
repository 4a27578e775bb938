import { ApiKeyEntity } from '../auth/api-key.entity';
import { AuditLogEntity } from '../auth/audit-log.entity';
import { TenantEntity } from '../auth/tenant.entity';
import { IdempotencyKeyEntity } from '../common/idempotency/idempotency-key.entity';
import { TrackedJobEntity } from '../common/tracked-jobs/tracked-job.entity';

/** Every table the app maps; feature modules add theirs here. */
export const ENTITIES = [TenantEntity, ApiKeyEntity, AuditLogEntity, IdempotencyKeyEntity, TrackedJobEntity];
