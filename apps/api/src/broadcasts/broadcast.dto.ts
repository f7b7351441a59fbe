import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { Principal } from '@clarion/auth';
import { RETARGET_STATUSES } from '@clarion/broadcasts';
import { TagsProperty } from '../http/tags-property';

/** The caller, as the auth guard attached it. */
export const Caller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | undefined => ctx.switchToHttp().getRequest().principal,
);

export class TemplateRefDto {
  @ApiProperty({ example: 'spring_sale' })
  @IsString()
  @Length(1, 512)
  name: string;

  @ApiProperty({ example: 'en_US' })
  @IsString()
  @Length(1, 20)
  language: string;
}

export class ErrorPolicyDto {
  @ApiProperty({ example: 0.2, description: 'pause when more than this share of attempted sends is refused' })
  @IsNumber()
  @Min(0)
  @Max(1)
  maxFailureRate: number;

  @ApiProperty({ example: 200, description: '…once at least this many sends were attempted' })
  @IsInt()
  @Min(1)
  minSample: number;
}

export class QuietHoursDto {
  @ApiProperty({ example: '21:00', description: "start of the quiet hours in the recipient's clock (HH:MM, or HH:MM:SS)" })
  @IsString()
  from: string;

  @ApiProperty({ example: '08:00', description: 'their end (may be the next day: 21:00–08:00)' })
  @IsString()
  to: string;
}

/** Recipient-local time and quiet hours, shared by create and edit. */
class BroadcastTimingDto {
  @ApiPropertyOptional({
    enum: ['immediate', 'recipient_local'],
    description:
      "recipient_local: each recipient gets it when their own clock shows scheduledAt's wall-clock time (read in `timezone`, else UTC)",
  })
  @IsOptional()
  @IsIn(['immediate', 'recipient_local'], { message: 'sendAt must be "immediate" or "recipient_local"' })
  sendAt?: 'immediate' | 'recipient_local';

  @ApiPropertyOptional({ enum: ['now', 'next_day'], description: 'for zones whose time has already passed at launch (default now)' })
  @IsOptional()
  @IsIn(['now', 'next_day'], { message: 'localTimePassed must be "now" or "next_day"' })
  localTimePassed?: 'now' | 'next_day';

  @ApiPropertyOptional({
    type: QuietHoursDto,
    description: 'nobody is sent anything inside these hours of their own clock; they wait until the hours end',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto;

  @ApiPropertyOptional({
    example: 'Asia/Kolkata',
    description:
      "IANA zone for recipients whose own cannot be told (no timezone attribute, no phone country), and the zone scheduledAt's wall clock is read in",
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}

export class CreateBroadcastDto extends BroadcastTimingDto {
  @ApiProperty({ example: 'Spring sale — India' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  senderId: number;

  @ApiProperty({ type: TemplateRefDto })
  @ValidateNested()
  @Type(() => TemplateRefDto)
  template: TemplateRefDto;

  @ApiProperty({
    description:
      '{ listId } | { importId } | { tags: [...] } | { contactIds: [...] } | { broadcastId, statuses: [...] } (the recipients of an earlier broadcast in those statuses)',
    example: { listId: 3 },
  })
  @IsObject()
  audience: Record<string, unknown>;

  @ApiPropertyOptional({
    description:
      'template variable → text with {{field}} or {{field|fallback}}. Keys: body variables by number or name ("1", "first_name"); ' +
      'a positional header variable as "header.1" (named: its name); a URL button with a variable or a copy-code button as "button.<n>" (0-based among the buttons)',
    example: { '1': '{{name|there}}', '2': '{{city}}' },
  })
  @IsOptional()
  @IsObject()
  variables?: Record<string, string>;

  @ApiPropertyOptional({ description: 'media header URL, templated like variables', example: 'https://cdn.example.com/{{plan}}.jpg' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  headerMediaUrl?: string;

  @ApiPropertyOptional({ description: 'ISO 8601; absent means now', example: '2026-12-01T09:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'scheduledAt must be an ISO 8601 date-time' })
  scheduledAt?: Date;

  @TagsProperty()
  tags?: string[];

  @ApiPropertyOptional({ type: ErrorPolicyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ErrorPolicyDto)
  errorPolicy?: ErrorPolicyDto;

  @ApiPropertyOptional({ description: 'save as a draft, not scheduled' })
  @IsOptional()
  @IsBoolean()
  draft?: boolean;
}

export class UpdateBroadcastDto extends BroadcastTimingDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) senderId?: number;
  @ApiPropertyOptional({ type: TemplateRefDto }) @IsOptional() @ValidateNested() @Type(() => TemplateRefDto) template?: TemplateRefDto;
  @ApiPropertyOptional() @IsOptional() @IsObject() audience?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsObject() variables?: Record<string, string>;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) headerMediaUrl?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'scheduledAt must be an ISO 8601 date-time' })
  scheduledAt?: Date;
  @TagsProperty() tags?: string[];
  @ApiPropertyOptional({ type: ErrorPolicyDto }) @IsOptional() @ValidateNested() @Type(() => ErrorPolicyDto) errorPolicy?: ErrorPolicyDto;
  @ApiPropertyOptional({ description: 'false schedules a draft' }) @IsOptional() @IsBoolean() draft?: boolean;
}

export class CopyBroadcastDto {
  @ApiPropertyOptional({ description: 'ISO 8601; absent means now' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'scheduledAt must be an ISO 8601 date-time' })
  scheduledAt?: Date;

  @ApiPropertyOptional({ description: 'keep the copy as a draft (to edit before it is scheduled)' })
  @IsOptional()
  @IsBoolean()
  draft?: boolean;
}

export class TestSendDto {
  @ApiProperty() @IsInt() @Min(1) senderId: number;
  @ApiProperty({ type: TemplateRefDto }) @ValidateNested() @Type(() => TemplateRefDto) template: TemplateRefDto;
  @ApiPropertyOptional() @IsOptional() @IsObject() variables?: Record<string, string>;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) headerMediaUrl?: string;
  @ApiProperty({ example: '+14155550100' }) @IsString() @Length(4, 20) phone: string;
  @ApiPropertyOptional({ description: 'used when no contact has the phone' }) @IsOptional() @IsString() @MaxLength(255) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsObject() attributes?: Record<string, string>;
}

export class SaveRecipientsListDto {
  @ApiProperty({ enum: RETARGET_STATUSES, isArray: true, example: ['delivered'], description: 'recipients in any of these statuses' })
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(RETARGET_STATUSES, { each: true, message: `statuses must hold ${RETARGET_STATUSES.join(', ')}` })
  statuses: string[];

  @ApiProperty({ example: 'Diwali: did not read', description: 'the contact list to add them to (created if missing)' })
  @IsString()
  @Length(1, 191)
  name: string;
}
