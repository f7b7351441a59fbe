import { Module } from '@nestjs/common';
import { HealthService } from './health.service';
import { QueueDepthSampler } from './queue-depth.sampler';

@Module({
  providers: [HealthService, QueueDepthSampler],
  exports: [HealthService],
})
export class ObservabilityModule {}
