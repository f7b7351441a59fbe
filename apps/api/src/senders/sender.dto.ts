import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsPositive, IsString, IsUrl, Length, Matches, Max, ValidateBy, ValidationOptions } from 'class-validator';
import { limitFromColumn, MessagingLimit, Sender } from '@clarion/senders';
import { PageQueryDto } from '../http/page-query.dto';

/** A positive integer or the word "unlimited". */
function IsMessagingLimit(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMessagingLimit',
      validator: {
        validate: (value: unknown) =>
          value === 'unlimited' || (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 4_294_967_295),
        defaultMessage: () => 'messagingLimit must be a positive integer (250, 1000, 2000, 10000, 100000, …) or "unlimited"',
      },
    },
    options,
  );
}

export class CreateSenderDto {
  @ApiProperty({ example: 'Main number' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: ['cloud', 'onprem'] })
  @IsIn(['cloud', 'onprem'])
  api: 'cloud' | 'onprem';

  @ApiProperty({ example: '106540352242922' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'phoneNumberId must be 1-64 letters, digits or _ . : -' })
  phoneNumberId: string;

  @ApiProperty({ description: 'Encrypted at rest, never returned', writeOnly: true })
  @IsString()
  @Length(1, 4096)
  accessToken: string;

  @ApiPropertyOptional({ example: '102290129340398' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  wabaId?: string;

  @ApiPropertyOptional({
    description: 'On-Premises API gateway URL (required for api "onprem")',
    example: 'https://wa-gateway.example.com',
  })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'baseUrl must be an http(s) URL' })
  baseUrl?: string;

  @ApiPropertyOptional({ enum: ['single', 'multi'], description: 'On-Premises: single-connect (70 msg/s) or multi-connect (250 msg/s)' })
  @IsOptional()
  @IsIn(['single', 'multi'])
  connection?: 'single' | 'multi';

  @ApiPropertyOptional({ description: 'Send cap in msg/s; default 500 (cloud), 70 or 250 (onprem single/multi)', example: 80 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @IsPositive()
  @Max(100_000)
  throughputMps?: number;

  @ApiPropertyOptional({
    description: 'Unique recipients per rolling 24 h: 250 | 1000 | 2000 | 10000 | 100000 | any positive integer | "unlimited" (default)',
    oneOf: [{ type: 'integer' }, { type: 'string', enum: ['unlimited'] }],
  })
  @IsOptional()
  @IsMessagingLimit()
  messagingLimit?: MessagingLimit;

  @ApiPropertyOptional({ description: 'Senders with the same portfolio share one messaging limit', example: 'acme' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  portfolio?: string;
}

export class UpdateSenderDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) name?: string;
  @ApiPropertyOptional({ enum: ['cloud', 'onprem'] }) @IsOptional() @IsIn(['cloud', 'onprem']) api?: 'cloud' | 'onprem';
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'phoneNumberId must be 1-64 letters, digits or _ . : -' })
  phoneNumberId?: string;
  @ApiPropertyOptional({ writeOnly: true }) @IsOptional() @IsString() @Length(1, 4096) accessToken?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 64) wabaId?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'baseUrl must be an http(s) URL' })
  baseUrl?: string;
  @ApiPropertyOptional({ enum: ['single', 'multi'] }) @IsOptional() @IsIn(['single', 'multi']) connection?: 'single' | 'multi';
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @IsPositive() @Max(100_000) throughputMps?: number;
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string', enum: ['unlimited'] }] })
  @IsOptional()
  @IsMessagingLimit()
  messagingLimit?: MessagingLimit;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) portfolio?: string;
  @ApiPropertyOptional({ enum: ['active', 'paused'], description: 'Resume a paused or broken sender, or pause it' })
  @IsOptional()
  @IsIn(['active', 'paused'])
  status?: 'active' | 'paused';
}

export class ListQueryDto extends PageQueryDto {}

export class SenderView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['cloud', 'onprem'] }) api: 'cloud' | 'onprem';
  @ApiProperty() phoneNumberId: string;
  @ApiProperty({ nullable: true, type: String }) wabaId: string | null;
  @ApiProperty({ nullable: true, type: String }) baseUrl: string | null;
  @ApiProperty({ enum: ['single', 'multi'] }) connection: 'single' | 'multi';
  @ApiProperty() throughputMps: number;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string', enum: ['unlimited'] }] }) messagingLimit: MessagingLimit;
  @ApiProperty({ nullable: true, type: String }) portfolio: string | null;
  @ApiProperty({ nullable: true, type: String }) qualityRating: string | null;
  @ApiProperty({ enum: ['active', 'paused', 'broken'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) statusReason: string | null;
  @ApiProperty({ nullable: true, type: Date }) syncedAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  /** The token never leaves: not even its ciphertext. */
  static of(s: Sender): SenderView {
    return {
      id: s.id,
      name: s.name,
      api: s.api,
      phoneNumberId: s.phoneNumberId,
      wabaId: s.wabaId,
      baseUrl: s.baseUrl,
      connection: s.connection,
      throughputMps: s.throughputMps,
      messagingLimit: limitFromColumn(s.messagingLimit),
      portfolio: s.portfolio,
      qualityRating: s.qualityRating,
      status: s.status,
      statusReason: s.statusReason,
      syncedAt: s.syncedAt,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
    };
  }
}

export class SenderPageView {
  @ApiProperty({ type: [SenderView] }) data: SenderView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
