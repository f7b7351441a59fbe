import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { commaList } from '../http/comma-list';
import { PageQueryDto } from '../http/page-query.dto';
import { HISTORY_SORTS, HistoryFilter, HistorySort, RECIPIENT_STATUSES, RecipientStatusFilter } from '@clarion/stats';

const BROADCAST_STATUSES = ['draft', 'scheduled', 'running', 'paused', 'waiting_quota', 'completed', 'cancelled', 'failed'];

/** Filters shared by the history list and its exports. */
export class HistoryFilterDto {
  @ApiPropertyOptional({ description: 'Part of the broadcast name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ description: `Comma-separated: ${BROADCAST_STATUSES.join(', ')}` })
  @IsOptional()
  @Transform(commaList)
  @IsIn(BROADCAST_STATUSES, { each: true, message: `status must be among ${BROADCAST_STATUSES.join(', ')}` })
  status?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  senderId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  templateId?: number;

  @ApiPropertyOptional({ description: 'Template name' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  template?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tag?: string;

  @ApiPropertyOptional({ description: 'Created at or after (ISO 8601)' })
  @IsOptional()
  @IsDateString({}, { message: 'from must be an ISO 8601 date' })
  from?: string;

  @ApiPropertyOptional({ description: 'Created before (ISO 8601)' })
  @IsOptional()
  @IsDateString({}, { message: 'to must be an ISO 8601 date' })
  to?: string;

  @ApiPropertyOptional({ enum: ['broadcast', 'sequence_step'], default: 'broadcast' })
  @IsOptional()
  @IsIn(['broadcast', 'sequence_step'])
  kind?: 'broadcast' | 'sequence_step';

  @ApiPropertyOptional({ enum: HISTORY_SORTS, default: 'createdAt' })
  @IsOptional()
  @IsIn(HISTORY_SORTS, { message: `sort must be one of ${HISTORY_SORTS.join(', ')}` })
  sort?: HistorySort;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  toFilter(): HistoryFilter {
    return {
      search: this.search,
      status: this.status,
      senderId: this.senderId,
      templateId: this.templateId,
      template: this.template,
      tag: this.tag,
      from: this.from ? new Date(this.from) : undefined,
      to: this.to ? new Date(this.to) : undefined,
      kind: this.kind,
      sort: this.sort,
      order: this.order,
    };
  }
}

export class HistoryListQueryDto extends HistoryFilterDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}

export class RecipientsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RECIPIENT_STATUSES })
  @IsOptional()
  @IsIn(RECIPIENT_STATUSES, { message: `status must be one of ${RECIPIENT_STATUSES.join(', ')}` })
  status?: RecipientStatusFilter;
}

export class RecipientsExportQueryDto {
  @ApiPropertyOptional({ enum: RECIPIENT_STATUSES })
  @IsOptional()
  @IsIn(RECIPIENT_STATUSES, { message: `status must be one of ${RECIPIENT_STATUSES.join(', ')}` })
  status?: RecipientStatusFilter;
}

export class DashboardQueryDto {
  @ApiPropertyOptional({ description: 'Start (ISO 8601, inclusive); default 30 days ago' })
  @IsOptional()
  @IsDateString({}, { message: 'from must be an ISO 8601 date' })
  from?: string;

  @ApiPropertyOptional({ description: 'End (ISO 8601, exclusive); default now' })
  @IsOptional()
  @IsDateString({}, { message: 'to must be an ISO 8601 date' })
  to?: string;
}
