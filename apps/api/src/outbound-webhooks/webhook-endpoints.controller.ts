import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '@clarion/audit';
import type { Page } from '@clarion/common';
import { PingResult, WebhookEndpoints } from '@clarion/outbound-webhooks';
import { PageQueryDto } from '../http/page-query.dto';
import {
  CreateWebhookEndpointDto,
  DeliveriesQueryDto,
  PingResultView,
  UpdateWebhookEndpointDto,
  WebhookDeliveryPageView,
  WebhookDeliveryView,
  WebhookEndpointPageView,
  WebhookEndpointView,
} from './webhook-endpoint.dto';

/** Where Clarion posts its events (admin only: no @Roles). */
@ApiTags('webhook endpoints')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpoints) {}

  @Post()
  @Audited('webhook_endpoint.create', { target: 'webhook_endpoint', table: 'webhook_endpoints' })
  @ApiOperation({ summary: 'Registers an endpoint; the answer holds its signing secret, the only time it is shown' })
  @ApiCreatedResponse({ type: WebhookEndpointView })
  async create(@Body() dto: CreateWebhookEndpointDto): Promise<WebhookEndpointView> {
    const { endpoint, secret } = await this.endpoints.create(dto);
    return WebhookEndpointView.of(endpoint, secret);
  }

  @Get()
  @ApiOkResponse({ type: WebhookEndpointPageView })
  async list(@Query() query: PageQueryDto): Promise<Page<WebhookEndpointView>> {
    const page = await this.endpoints.list(query.limit, query.cursor);
    return { data: page.data.map((e) => WebhookEndpointView.of(e)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookEndpointView })
  async get(@Param('id', ParseIntPipe) id: number): Promise<WebhookEndpointView> {
    return WebhookEndpointView.of(await this.endpoints.get(id));
  }

  @Patch(':id')
  @Audited('webhook_endpoint.update', { target: 'webhook_endpoint', table: 'webhook_endpoints' })
  @ApiOkResponse({ type: WebhookEndpointView })
  async update(@Param('id', ParseIntPipe) id: number, @Body() dto: UpdateWebhookEndpointDto): Promise<WebhookEndpointView> {
    const { endpoint, secret } = await this.endpoints.update(id, dto);
    return WebhookEndpointView.of(endpoint, secret);
  }

  @Delete(':id')
  @Audited('webhook_endpoint.delete', { target: 'webhook_endpoint', table: 'webhook_endpoints' })
  @HttpCode(204)
  remove(@Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.endpoints.remove(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery attempts, newest first, with their status and answer code' })
  @ApiOkResponse({ type: WebhookDeliveryPageView })
  async deliveries(@Param('id', ParseIntPipe) id: number, @Query() query: DeliveriesQueryDto): Promise<Page<WebhookDeliveryView>> {
    const page = await this.endpoints.deliveries(id, query.limit, query.cursor, query.status);
    return { data: page.data.map(WebhookDeliveryView.of), nextCursor: page.nextCursor };
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sends a signed `ping` now, once, and answers how the endpoint answered' })
  @ApiOkResponse({ type: PingResultView })
  test(@Param('id', ParseIntPipe) id: number): Promise<PingResult> {
    return this.endpoints.ping(id);
  }
}
