import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { WebhookRegistrationEntity } from './webhook-registration.entity';
import { WebhookRegistrationsResolver } from './webhook-registrations.resolver';
import { WebhookRegistrationsService } from './webhook-registrations.service';

/** Partner registrations: one shop, its event types and 1-10 URLs, each URL an endpoint of EndpointsModule. */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookRegistrationEntity]), AuthModule, IdempotencyModule, EndpointsModule],
  providers: [WebhookRegistrationsService, WebhookRegistrationsResolver],
})
export class RegistrationsModule {}
