import { Controller, Get, Header, Headers, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { Public } from '@clarion/auth';
import { ReceiveWebhook } from '@clarion/webhooks';

/** Meta's WhatsApp webhooks: authenticated by their signature, not by an API token. */
@ApiTags('webhooks')
@Public()
@Controller('webhooks/whatsapp')
export class WhatsAppWebhooksController {
  constructor(private readonly receiver: ReceiveWebhook) {}

  @Get()
  @Header('Content-Type', 'text/plain')
  @ApiOperation({ summary: "Meta's verification handshake: echoes hub.challenge when hub.verify_token matches WHATSAPP_VERIFY_TOKEN" })
  verify(@Query('hub.mode') mode: unknown, @Query('hub.verify_token') token: unknown, @Query('hub.challenge') challenge: unknown): string {
    return this.receiver.handshake(mode, token, challenge);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Status and inbound-message callbacks, verified with X-Hub-Signature-256; 200 once stored durably' })
  @ApiOkResponse({ description: 'stored; applied in the background' })
  async receive(@Req() req: RawBodyRequest<Request>, @Headers('x-hub-signature-256') signature: string | undefined): Promise<void> {
    await this.receiver.receive(req.rawBody, signature);
  }
}
