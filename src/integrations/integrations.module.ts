import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HttpModule } from '../common/http/http.module';
import { IntegrationEntity } from './integration.entity';
import { IntegrationsResolver } from './integrations.resolver';
import { IntegrationsService } from './integrations.service';
import { ProviderSubscriptionsService } from './provider-subscriptions.service';
import { TemuClientFactory } from './temu-client.factory';
import { TemuWebhookEntity } from './temu-webhook.entity';

@Module({
  imports: [TypeOrmModule.forFeature([IntegrationEntity, TemuWebhookEntity]), HttpModule],
  providers: [IntegrationsService, ProviderSubscriptionsService, TemuClientFactory, IntegrationsResolver],
  exports: [IntegrationsService],
})
export class IntegrationsModule {}
