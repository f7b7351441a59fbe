import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { DeliveryRow, EndpointRow, OUTBOUND_EVENT_TYPES, OutboundEventType } from '@clarion/outbound-webhooks';
import { PageQueryDto } from '../http/page-query.dto';

export class CreateWebhookEndpointDto {
  @ApiProperty({
    example: 'https://crm.example.com/hooks/clarion',
    description: 'https in production, never a private or loopback address there',
  })
  @IsString()
  @MaxLength(2000)
  url: string;

  @ApiProperty({ enum: OUTBOUND_EVENT_TYPES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(OUTBOUND_EVENT_TYPES.length)
  @IsIn(OUTBOUND_EVENT_TYPES, { each: true, message: `each of events must be one of ${OUTBOUND_EVENT_TYPES.join(', ')}` })
  events: OutboundEventType[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ enum: OUTBOUND_EVENT_TYPES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(OUTBOUND_EVENT_TYPES.length)
  @IsIn(OUTBOUND_EVENT_TYPES, { each: true, message: `each of events must be one of ${OUTBOUND_EVENT_TYPES.join(', ')}` })
  events?: OutboundEventType[];

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ description: 'false disables the endpoint; true enables a disabled one again' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ description: 'true answers a new secret (this answer only); the old one stops signing at once' })
  @IsOptional()
  @IsBoolean()
  rotateSecret?: boolean;
}

export class DeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['succeeded', 'failed'] })
  @IsOptional()
  @IsIn(['succeeded', 'failed'])
  status?: 'succeeded' | 'failed';
}

export class WebhookEndpointView {
  @ApiProperty() id: number;
  @ApiProperty() url: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ enum: OUTBOUND_EVENT_TYPES, isArray: true }) events: OutboundEventType[];
  @ApiProperty({ enum: ['enabled', 'disabled'] }) status: 'enabled' | 'disabled';
  @ApiProperty({ nullable: true, type: String, description: 'why it was disabled (after 3 days of failed deliveries, or by a user)' })
  disabledReason: string | null;
  @ApiProperty({ nullable: true, type: String }) disabledAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'first failed delivery since the last success' })
  failingSince: string | null;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ description: 'whsec_… — only when the endpoint is created or its secret rotated' })
  secret?: string;

  static of(e: EndpointRow, secret?: string): WebhookEndpointView {
    return Object.assign(new WebhookEndpointView(), {
      id: e.id,
      url: e.url,
      description: e.description,
      events: e.events,
      status: e.status,
      disabledReason: e.disabledReason,
      disabledAt: e.disabledAt?.toISOString() ?? null,
      failingSince: e.failingSince?.toISOString() ?? null,
      createdAt: e.createdAt.toISOString(),
      ...(secret ? { secret } : {}),
    });
  }
}

export class WebhookDeliveryView {
  @ApiProperty() id: number;
  @ApiProperty() eventId: string;
  @ApiProperty() eventType: string;
  @ApiProperty() attempt: number;
  @ApiProperty({ enum: ['succeeded', 'failed'] }) status: 'succeeded' | 'failed';
  @ApiProperty({ nullable: true, type: Number }) responseCode: number | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty() durationMs: number;
  @ApiProperty() createdAt: string;

  static of(d: DeliveryRow): WebhookDeliveryView {
    return Object.assign(new WebhookDeliveryView(), {
      id: d.id,
      eventId: d.eventId,
      eventType: d.eventType,
      attempt: d.attempt,
      status: d.status,
      responseCode: d.responseCode,
      error: d.error,
      durationMs: d.durationMs,
      createdAt: d.createdAt.toISOString(),
    });
  }
}

export class WebhookEndpointPageView {
  @ApiProperty({ type: [WebhookEndpointView] }) data: WebhookEndpointView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class WebhookDeliveryPageView {
  @ApiProperty({ type: [WebhookDeliveryView] }) data: WebhookDeliveryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class PingResultView {
  @ApiProperty() eventId: string;
  @ApiProperty({ enum: ['succeeded', 'failed'] }) status: 'succeeded' | 'failed';
  @ApiProperty({ nullable: true, type: Number }) responseCode: number | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
}
