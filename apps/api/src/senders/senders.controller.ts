import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '@clarion/audit';
import { ReadRoles, Roles } from '@clarion/auth';
import type { Page } from '@clarion/common';
import { SendersService, SyncSender } from '@clarion/senders';
import { CreateSenderDto, ListQueryDto, SenderPageView, SenderView, UpdateSenderDto } from './sender.dto';

/** WhatsApp business numbers: admins manage them, marketers and analysts may read them. */
@ApiTags('senders')
@ApiBearerAuth()
@Controller('v1/senders')
export class SendersController {
  constructor(
    private readonly senders: SendersService,
    private readonly syncer: SyncSender,
  ) {}

  @Post()
  @Audited('sender.create', { target: 'sender', table: 'senders' })
  @ApiOkResponse({ type: SenderView })
  async create(@Body() dto: CreateSenderDto): Promise<SenderView> {
    return SenderView.of(await this.senders.create(dto));
  }

  @Get()
  @Roles(...ReadRoles)
  @ApiOkResponse({ type: SenderPageView })
  async list(@Query() query: ListQueryDto): Promise<Page<SenderView>> {
    const page = await this.senders.list(query.limit, query.cursor);
    return { data: page.data.map(SenderView.of), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Roles(...ReadRoles)
  @ApiOkResponse({ type: SenderView })
  async get(@Param('id', ParseIntPipe) id: number): Promise<SenderView> {
    return SenderView.of(await this.senders.get(id));
  }

  @Patch(':id')
  @Audited('sender.update', { target: 'sender', table: 'senders' })
  @ApiOkResponse({ type: SenderView })
  async update(@Param('id', ParseIntPipe) id: number, @Body() dto: UpdateSenderDto): Promise<SenderView> {
    return SenderView.of(await this.senders.update(id, dto));
  }

  @Delete(':id')
  @Audited('sender.delete', { target: 'sender', table: 'senders' })
  @HttpCode(204)
  remove(@Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.senders.remove(id);
  }

  @Post(':id/sync')
  @Audited('sender.sync', { target: 'sender', table: 'senders' })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reads messaging_limit_tier, throughput level and quality_rating from the Graph API and adopts them',
    description:
      'messaging_limit_tier → messagingLimit: TIER_50 → 50, TIER_250 → 250, TIER_1K → 1000, TIER_2K → 2000, TIER_10K → 10000, ' +
      'TIER_100K → 100000, TIER_UNLIMITED → "unlimited". throughput.level → throughputMps: STANDARD → 80, HIGH → 1000. ' +
      'quality_rating is stored as qualityRating. Unknown values leave the current setting alone. Cloud API senders only.',
  })
  @ApiOkResponse({ type: SenderView })
  async sync(@Param('id', ParseIntPipe) id: number): Promise<SenderView> {
    return SenderView.of(await this.syncer.sync(id));
  }
}
