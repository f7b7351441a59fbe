import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { AuditQuery, AuditRow } from '@clarion/audit';
import type { Page } from '@clarion/common';
import { PageQueryDto } from '../http/page-query.dto';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: '`user:<id>`, `token:<id>`, or an email or token name', example: 'user:3' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  actor?: string;

  @ApiPropertyOptional({ description: 'an action, or a family such as `broadcast.*`', example: 'broadcast.pause' })
  @IsOptional()
  @Matches(/^[a-z_]+(\.[a-z_]+|\.\*)?$/, { message: 'action must look like broadcast.pause or broadcast.*' })
  action?: string;

  @ApiPropertyOptional({ description: 'ISO 8601: entries at or after' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO 8601 date' })
  from?: Date;

  @ApiPropertyOptional({ description: 'ISO 8601: entries before' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO 8601 date' })
  to?: Date;
}

export class AuditEntryView {
  @ApiProperty() id: number;
  @ApiProperty() at: string;
  @ApiProperty({ description: "{ type: 'user' | 'token' | 'anonymous', id, name }" }) actor: {
    type: string;
    id: string | null;
    name: string | null;
  };
  @ApiProperty({ example: 'broadcast.pause' }) action: string;
  @ApiProperty({ enum: ['succeeded', 'failed'] }) outcome: string;
  @ApiProperty({ nullable: true, type: Object }) target: { type: string | null; id: string | null } | null;
  @ApiProperty({ nullable: true, type: Object, description: 'what changed, before (secrets redacted)' }) before: unknown;
  @ApiProperty({ nullable: true, type: Object, description: 'what changed, after (secrets redacted)' }) after: unknown;
  @ApiProperty({ nullable: true, type: String }) address: string | null;

  static of(r: AuditRow): AuditEntryView {
    return Object.assign(new AuditEntryView(), {
      id: r.id,
      at: r.at.toISOString(),
      actor: { type: r.actorType, id: r.actorId, name: r.actorName },
      action: r.action,
      outcome: r.outcome,
      target: r.targetType || r.targetId ? { type: r.targetType, id: r.targetId } : null,
      before: r.before,
      after: r.after,
      address: r.address,
    });
  }
}

/** Who did what (admin only: no @Roles). */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditQuery) {}

  @Get()
  @ApiOperation({ summary: 'The audit log, newest first: filter by actor, action and date' })
  async list(@Query() q: AuditQueryDto): Promise<Page<AuditEntryView>> {
    const page = await this.audit.list({ actor: q.actor, action: q.action, from: q.from, to: q.to }, q.limit, q.cursor);
    return { data: page.data.map(AuditEntryView.of), nextCursor: page.nextCursor };
  }
}
