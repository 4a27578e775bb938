import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { TrackedJobsModule } from '../tracked-jobs/tracked-jobs.module';
import { HttpModule } from '../common/http/http.module';
import { IntegrationEntity } from './integration.entity';
import { IntegrationsResolver } from './integrations.resolver';
import { IntegrationsService } from './integrations.service';
import { IntegrationSecretTable } from './integration-secret-table';
import { ProviderSubscriptionsService } from './provider-subscriptions.service';
import { TemuClientFactory } from './temu-client.factory';
import { TemuWebhookEntity } from './temu-webhook.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([IntegrationEntity, TemuWebhookEntity]),
    HttpModule,
    AuthModule,
    TrackedJobsModule,
  ],
  providers: [
    IntegrationsService,
    ProviderSubscriptionsService,
    TemuClientFactory,
    IntegrationsResolver,
    IntegrationSecretTable,
  ],
  exports: [IntegrationsService, IntegrationSecretTable],
})
export class IntegrationsModule {}
