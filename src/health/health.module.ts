import { Module } from '@nestjs/common';
import { CommonModule } from '../common/common.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

/** GET /health (Postgres and Redis reachability) and GET /metrics, both public; api role only. */
@Module({
  imports: [CommonModule],
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
