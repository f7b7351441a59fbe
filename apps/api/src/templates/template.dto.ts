import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Min } from 'class-validator';
import type { Principal } from '@clarion/auth';
import { Template, TemplateStatus, TemplateVariableSpec } from '@clarion/templates';
import { PageQueryDto } from '../http/page-query.dto';

const STATUSES: TemplateStatus[] = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED'];

/** The caller's principal, as the auth guard attached it. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal,
);

export class CreateTemplateDto {
  @ApiProperty({ example: 'order_update', description: 'lower-case letters, digits, underscores' })
  @IsString()
  name: string;

  @ApiProperty({ example: 'en_US' })
  @IsString()
  language: string;

  @ApiProperty({ enum: ['MARKETING', 'UTILITY', 'AUTHENTICATION'] })
  @IsString()
  category: string;

  @ApiProperty({
    description: "HEADER, BODY, FOOTER and BUTTONS in Meta's template format",
    example: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped.' }],
    type: 'array',
    items: { type: 'object' },
  })
  @IsArray()
  @ArrayMaxSize(4)
  @IsObject({ each: true })
  components: Array<Record<string, unknown>>;

  @ApiPropertyOptional({ enum: ['positional', 'named'], description: 'Detected from the variables when absent' })
  @IsOptional()
  @IsString()
  parameter_format?: string;

  @ApiPropertyOptional({ description: 'The WhatsApp Business Account it belongs to; absent for a local template' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  wabaId?: string;

  @ApiPropertyOptional({ enum: STATUSES, description: 'Admins only (e.g. approved outside Clarion); default PENDING' })
  @IsOptional()
  @IsIn(STATUSES)
  status?: TemplateStatus;

  @ApiPropertyOptional({
    description:
      "Submits the template to Meta for this Cloud API sender's WABA (components carry Meta's `example` values for their variables); " +
      "it keeps Meta's id and status (PENDING until Meta's review webhook)",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  senderId?: number;
}

export class UpdateTemplateDto {
  @ApiPropertyOptional() @IsOptional() @IsString() name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() language?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() category?: string;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' } })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(4)
  @IsObject({ each: true })
  components?: Array<Record<string, unknown>>;
  @ApiPropertyOptional() @IsOptional() @IsString() parameter_format?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 64) wabaId?: string;
  @ApiPropertyOptional({ enum: STATUSES, description: 'Admins only' }) @IsOptional() @IsIn(STATUSES) status?: TemplateStatus;
}

export class SetTemplateStatusDto {
  @ApiProperty({ enum: STATUSES }) @IsIn(STATUSES) status: TemplateStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 500) reason?: string;
}

export class SyncTemplatesDto {
  @ApiProperty({ description: 'A Cloud API sender with a wabaId' }) @Type(() => Number) @IsInt() @Min(1) senderId: number;
}

export class ListTemplatesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: TemplateStatus;
  @ApiPropertyOptional({ description: 'Part of the name' }) @IsOptional() @IsString() search?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() wabaId?: string;
}

export class TemplateView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() language: string;
  @ApiProperty({ enum: ['MARKETING', 'UTILITY', 'AUTHENTICATION'] }) category: string;
  @ApiProperty({ enum: ['positional', 'named'] }) parameter_format: 'positional' | 'named';
  @ApiProperty({ type: 'array', items: { type: 'object' } }) components: Array<Record<string, unknown>>;
  @ApiProperty({ enum: STATUSES }) status: TemplateStatus;
  @ApiProperty({ nullable: true, type: String }) statusReason: string | null;
  @ApiProperty({ nullable: true, type: String }) wabaId: string | null;
  @ApiProperty({ nullable: true, type: String }) metaId: string | null;
  @ApiProperty({ nullable: true, type: String, description: "Meta's quality score: GREEN, YELLOW, RED or UNKNOWN" })
  qualityScore: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static of(t: Template): TemplateView {
    return {
      id: t.id,
      name: t.name,
      language: t.language,
      category: t.category,
      parameter_format: t.parameterFormat === 'NAMED' ? 'named' : 'positional',
      components: t.components,
      status: t.status,
      statusReason: t.statusReason,
      wabaId: t.wabaId || null,
      metaId: t.metaId,
      qualityScore: t.qualityScore,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    };
  }
}

export type TemplateVariablesView = TemplateVariableSpec;

export class TemplatePageView {
  @ApiProperty({ type: [TemplateView] }) data: TemplateView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
