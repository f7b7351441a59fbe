import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { TemplateRefDto } from '../broadcasts/broadcast.dto';
import { PageQueryDto } from '../http/page-query.dto';

export class StepDto {
  @ApiProperty({ type: TemplateRefDto })
  @ValidateNested()
  @Type(() => TemplateRefDto)
  template: TemplateRefDto;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { '1': '{{name|there}}' },
    description: 'Template variable → text with {{field}} or {{field|fallback}}',
  })
  @IsOptional()
  @IsObject()
  variables?: Record<string, string>;

  @ApiPropertyOptional({
    description: 'media header URL for a template with an IMAGE, VIDEO or DOCUMENT header, templated like variables',
    example: 'https://cdn.example.com/{{image_url}}',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  headerMediaUrl?: string;

  @ApiProperty({
    example: 'PT15S',
    description: 'ISO 8601 duration after enrolment (first step) or after the previous step: PT0S, PT30S, PT6H, P2D',
  })
  @IsString()
  delay: string;
}

export class WindowDto {
  @ApiProperty({ example: ['mon', 'tue', 'wed', 'thu', 'fri'] })
  @IsArray()
  days: string[];

  @ApiProperty({ example: '09:00' })
  @IsString()
  from: string;

  @ApiProperty({ example: '18:00' })
  @IsString()
  to: string;
}

export class StopWhenDto {
  @ApiProperty({ example: 'stage' })
  @IsString()
  @Length(1, 100)
  attribute: string;

  @ApiProperty({ example: 'customer' })
  @IsString()
  equals: string;
}

export class CreateSequenceDto {
  @ApiProperty({ example: 'Onboarding' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty()
  @IsInt()
  @Min(1)
  senderId: number;

  @ApiProperty({ type: [StepDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => StepDto)
  steps: StepDto[];

  @ApiPropertyOptional({ type: WindowDto, nullable: true, description: "Read in the contact's time zone" })
  @IsOptional()
  @IsObject()
  window?: WindowDto | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Asia/Kolkata',
    description: 'Zone of contacts whose own cannot be told (no timezone attribute, unknown country)',
  })
  @IsOptional()
  @IsString()
  timezone?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  stopOnReply?: boolean;

  @ApiPropertyOptional({ type: StopWhenDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => StopWhenDto)
  stopWhen?: StopWhenDto | null;

  @ApiPropertyOptional({
    enum: ['ignore', 'restart'],
    default: 'ignore',
    description: 'What enrolling a contact already in the sequence does',
  })
  @IsOptional()
  @IsIn(['ignore', 'restart'])
  reenrollment?: 'ignore' | 'restart';
}

export class UpdateSequenceDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ type: [StepDto], description: 'The full step list; steps are matched by position' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => StepDto)
  steps?: StepDto[];

  @ApiPropertyOptional({ type: WindowDto, nullable: true })
  @IsOptional()
  @IsObject()
  window?: WindowDto | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  timezone?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  stopOnReply?: boolean;

  @ApiPropertyOptional({ type: StopWhenDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => StopWhenDto)
  stopWhen?: StopWhenDto | null;

  @ApiPropertyOptional({ enum: ['ignore', 'restart'] })
  @IsOptional()
  @IsIn(['ignore', 'restart'])
  reenrollment?: 'ignore' | 'restart';
}

/** `{ listId } | { importId } | { tags } | { contactIds }`, plus an optional re-enrolment policy for this call. */
export class EnrollDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  listId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  importId?: number;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  tags?: string[];

  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IsArray()
  @IsInt({ each: true })
  contactIds?: number[];

  @ApiPropertyOptional({ enum: ['ignore', 'restart'], description: "Overrides the sequence's policy for this call" })
  @IsOptional()
  @IsIn(['ignore', 'restart'])
  reenrollment?: 'ignore' | 'restart';
}

export class SequenceListQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  search?: string;

  @ApiPropertyOptional({ enum: ['active', 'paused'] })
  @IsOptional()
  @IsIn(['active', 'paused'])
  status?: 'active' | 'paused';
}

export class EnrollmentListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['active', 'completed', 'stopped', 'unenrolled'] })
  @IsOptional()
  @IsIn(['active', 'completed', 'stopped', 'unenrolled'])
  status?: 'active' | 'completed' | 'stopped' | 'unenrolled';

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  contactId?: number;
}

/** A sequence sheet upload (multipart): the fields of POST /v1/imports, mode always upsert. */
export class SequenceSheetUploadDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'CSV or .xlsx: a phone column, optional name, every other column an attribute',
  })
  file: unknown;

  @ApiPropertyOptional({ description: "the workbook's sheet to read (.xlsx); the first one when absent" })
  sheet?: string;

  @ApiPropertyOptional({ description: 'JSON column mapping, as for imports' })
  mapping?: string;

  @ApiPropertyOptional({ example: 'IN' })
  defaultCountry?: string;

  @ApiPropertyOptional({ enum: ['ignore', 'restart'] })
  reenrollment?: string;
}

export class UpcomingQueryDto {
  @ApiPropertyOptional({ default: 7, minimum: 1, maximum: 31, description: 'how many days ahead' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(31)
  days?: number;

  @ApiPropertyOptional({ enum: ['hour', 'day'], default: 'day' })
  @IsOptional()
  @IsIn(['hour', 'day'])
  bucket?: 'hour' | 'day';

  @ApiPropertyOptional({ example: 'Europe/Berlin', description: 'IANA zone whose hours and days the counts are cut in (UTC when absent)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}
