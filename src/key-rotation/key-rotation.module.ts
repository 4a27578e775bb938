import { Module } from '@nestjs/common';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { TrackedJobsModule } from '../tracked-jobs/tracked-jobs.module';
import { SecretsReencryptJob } from './secrets-reencrypt.job';

/** Key rotation: `secrets:reencrypt` walks the tables that store secrets (each owned by its module) as a tracked job. */
@Module({
  imports: [TrackedJobsModule, EndpointsModule, IntegrationsModule],
  providers: [SecretsReencryptJob],
  exports: [SecretsReencryptJob],
})
export class KeyRotationModule {}
