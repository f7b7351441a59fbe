import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard, AuthModule, PrincipalThrottlerGuard } from '@clarion/auth';
import { ClarionConfigModule } from '@clarion/config';
import { DatabaseModule } from '@clarion/database';
import { LoggingModule, ObservabilityModule } from '@clarion/observability';
import { PricingModule } from '@clarion/pricing';
import { QueueModule } from '@clarion/queue';
import { BroadcastsApiModule } from './broadcasts/broadcasts-api.module';
import { HealthController } from './controllers/health.controller';
import { PricingController } from './controllers/pricing.controller';
import { TokensController } from './controllers/tokens.controller';
import { SendersApiModule } from './senders/senders-api.module';
import { WebhooksApiModule } from './webhooks/webhooks-api.module';
import { ContactsApiModule } from './contacts/contacts-api.module';
import { SequencesApiModule } from './sequences/sequences-api.module';
import { TemplatesApiModule } from './templates/templates-api.module';
import { HistoryModule, HISTORY_CONTROLLERS } from './history/history.module';
import { HttpMetricsMiddleware } from './http/http-metrics.middleware';
import { PeopleApiModule } from './people/people-api.module';
import { OutboundWebhooksApiModule } from './outbound-webhooks/outbound-webhooks-api.module';
import { AuditApiModule } from './audit/audit-api.module';
import { ConsoleModule } from './console/console.module';

/** The HTTP API: controllers only; the rules live in the capability libraries. */
@Module({
  imports: [
    ClarionConfigModule,
    LoggingModule,
    DatabaseModule,
    QueueModule,
    ObservabilityModule,
    AuthModule,
    PricingModule,
    ContactsApiModule,
    SendersApiModule,
    WebhooksApiModule,
    SequencesApiModule,
    TemplatesApiModule,
    HistoryModule,
    BroadcastsApiModule,
    PeopleApiModule,
    OutboundWebhooksApiModule,
    AuditApiModule,
    ConsoleModule.register(),
  ],
  controllers: [...HISTORY_CONTROLLERS, HealthController, TokensController, PricingController],
  // In this order: who is calling, then how often they have called.
  providers: [
    { provide: APP_GUARD, useExisting: AuthGuard },
    { provide: APP_GUARD, useExisting: PrincipalThrottlerGuard },
  ],
})
export class ApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }
}
