import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CommonModule } from '../common/common.module';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { EventTypesModule } from '../event-types/event-types.module';
import { FiltersModule } from '../filters/filters.module';
import { InboundEventsModule } from '../inbound-events/inbound-events.module';
import { CatalogTools } from './catalog-tools';
import { DeliveryTools } from './delivery-tools';
import { McpServerFactory } from './mcp-server.factory';
import { McpController } from './mcp.controller';
import { SecretTools } from './secret-tools';
import { WebhookTools } from './webhook-tools';

/** Agent tools over MCP (POST/GET /mcp, api role): thin tools over the feature modules' exported services. */
@Module({
  imports: [
    AuthModule,
    CommonModule,
    EventTypesModule,
    EndpointsModule,
    DeliveriesModule,
    FiltersModule,
    InboundEventsModule,
  ],
  controllers: [McpController],
  providers: [WebhookTools, SecretTools, DeliveryTools, CatalogTools, McpServerFactory],
})
export class AgentsModule {}
