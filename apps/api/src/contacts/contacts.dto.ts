import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
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
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { DomainError } from '@clarion/common';
import type { BulkContactsCommand, ContactFilter, ContactSort, ContactSortField, ContactView, ListView } from '@clarion/contacts';
import type { ContactMessageView } from '@clarion/stats';
import { commaList } from '../http/comma-list';
import { PageQueryDto } from '../http/page-query.dto';
import { TagsProperty } from '../http/tags-property';

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;
const SORTS = ['id', '-id', 'name', '-name', 'createdAt', '-createdAt', 'phone', '-phone'];

/** Filters shared by the contact list, the export and bulk changes (query string form). */
export class ContactQueryDto {
  @ApiPropertyOptional({ description: 'name (substring) or phone in any spelling, e.g. "098765 43210" or "+91 98765 43210"' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ description: 'only members of this contact list' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  listId?: number;

  @ApiPropertyOptional({ description: 'only contacts from this import' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  importId?: number;

  @ApiPropertyOptional({ description: 'comma-separated tags; a contact having ANY of them matches' })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @IsString({ each: true })
  tag?: string[];

  @ApiPropertyOptional({
    description: 'exact attribute values, e.g. ?attribute[City]=Pune&attribute[Plan]=Gold',
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  @IsOptional()
  @IsObject()
  attribute?: Record<string, string>;

  @ApiPropertyOptional({ description: 'true: only opted-out contacts; false: only those who may be messaged' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  optedOut?: boolean;

  toFilter(): ContactFilter {
    return {
      search: this.search,
      listId: this.listId,
      importId: this.importId,
      tags: this.tag,
      attribute: this.attribute && stringValues(this.attribute, 'attribute'),
      optedOut: this.optedOut,
    };
  }
}

export class ListContactsDto extends ContactQueryDto {
  @ApiPropertyOptional({ enum: SORTS, default: 'id', description: 'a leading "-" sorts descending' })
  @IsOptional()
  @IsIn(SORTS)
  sort?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  cursor?: string;

  toSort(): ContactSort {
    const sort = this.sort ?? 'id';
    return { field: sort.replace(/^-/, '') as ContactSortField, descending: sort.startsWith('-') };
  }
}

export class CreateContactDto {
  @ApiProperty({ example: '+91 98765 43210', description: 'any spelling; stored in E.164' })
  @IsString()
  @Length(1, 40)
  phone: string;

  @ApiPropertyOptional({ example: 'IN', description: 'country of a phone written without country code' })
  @IsOptional()
  @IsString()
  @Length(2, 2)
  defaultCountry?: string;

  @ApiPropertyOptional({ example: 'Asha Rao' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  name?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { City: 'Pune' } })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  optedOut?: boolean;

  @TagsProperty()
  tags?: string[];

  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsInt({ each: true })
  listIds?: number[];
}

export class UpdateContactDto {
  @ApiPropertyOptional({ example: '+91 98765 43210' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  phone?: string;

  @ApiPropertyOptional({ example: 'IN' })
  @IsOptional()
  @IsString()
  @Length(2, 2)
  defaultCountry?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  name?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    description: 'merged key by key; a null value removes the attribute',
    example: { City: 'Mumbai', Plan: null },
  })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'an opted-out contact is never messaged' })
  @IsOptional()
  @IsBoolean()
  optedOut?: boolean;

  @TagsProperty('replaces the tags')
  tags?: string[];

  @ApiPropertyOptional({ type: [Number], description: 'replaces the list memberships' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsInt({ each: true })
  listIds?: number[];
}

/** The filter of a bulk change, in body form. An empty filter means every contact. */
export class ContactFilterDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) search?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) listId?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) importId?: number;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) tags?: string[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } }) @IsOptional() @IsObject() attribute?: Record<
    string,
    string
  >;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() optedOut?: boolean;
  @ApiPropertyOptional({ type: [Number] }) @IsOptional() @IsArray() @ArrayMaxSize(100_000) @IsInt({ each: true }) contactIds?: number[];
}

export class BulkAttributesDto {
  @ApiProperty({ type: ContactFilterDto, description: 'which contacts; {} means all' })
  @IsObject()
  @ValidateNested()
  @Type(() => ContactFilterDto)
  filter: ContactFilterDto;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { Segment: 'Diwali 2026' } })
  @IsOptional()
  @IsObject()
  set?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], example: ['Referral Code'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  unset?: string[];
}

export class CreateListDto {
  @ApiProperty({ example: 'Diwali 2026' })
  @IsString()
  @Length(1, 191)
  name: string;
}

export class ListQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) search?: string;
}

function stringValues(record: Record<string, unknown>, field: string): Record<string, string> {
  for (const [key, value] of Object.entries(record)) {
    if (typeof value !== 'string') throw DomainError.validation(`${field}[${key}] must be a single text value`);
  }
  return record as Record<string, string>;
}

export class AttributeKeysView {
  @ApiProperty({ type: [String], example: ['city', 'plan'] }) keys: string[];
}

const BULK_ACTIONS = ['tag', 'untag', 'addToList', 'delete'] as const;

export class BulkContactsDto {
  @ApiPropertyOptional({
    type: ContactFilterDto,
    description: 'which contacts: a filter ({} means all), or `contactIds` inside it for a selection',
  })
  @IsObject()
  @ValidateNested()
  @Type(() => ContactFilterDto)
  filter: ContactFilterDto;

  @ApiProperty({ enum: BULK_ACTIONS })
  @IsIn(BULK_ACTIONS)
  action: (typeof BULK_ACTIONS)[number];

  @ApiPropertyOptional({ type: [String], description: 'for tag and untag: 1 to 50 tags of at most 100 characters' })
  @ValidateIf((dto: BulkContactsDto) => dto.action === 'tag' || dto.action === 'untag')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ description: 'for addToList: the contact list' })
  @ValidateIf((dto: BulkContactsDto) => dto.action === 'addToList')
  @IsInt()
  @Min(1)
  listId?: number;

  toCommand(): BulkContactsCommand {
    const filter = { ...this.filter };
    switch (this.action) {
      case 'tag':
      case 'untag':
        return { filter, action: this.action, tags: [...new Set((this.tags ?? []).map((t) => t.trim()))] };
      case 'addToList':
        return { filter, action: 'addToList', listId: this.listId as number };
      case 'delete':
        return { filter, action: 'delete' };
    }
  }
}

export class BulkResultView {
  @ApiProperty({ description: 'how many contacts the filter or selection matched (and were changed)' }) matched: number;
}

export class ContactViewSchema implements ContactView {
  @ApiProperty() id: number;
  @ApiProperty() phone: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) country: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) attributes: Record<string, string>;
  @ApiProperty() optedOut: boolean;
  @ApiProperty({ nullable: true, type: Date }) optedOutAt: Date | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ type: [Number] }) listIds: number[];
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class ContactPageView {
  @ApiProperty({ type: [ContactViewSchema] }) data: ContactViewSchema[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class ContactMessageViewSchema implements ContactMessageView {
  @ApiProperty() recipientId: number;
  @ApiProperty() broadcastId: number;
  @ApiProperty() broadcastName: string;
  @ApiProperty({ description: 'queued, sent, delivered, read, replied, failed, skipped or cancelled' }) status: string;
  @ApiProperty({ nullable: true, type: Date }) sentAt: Date | null;
  @ApiProperty({ nullable: true, type: Number }) errorCode: number | null;
  @ApiProperty({ nullable: true, type: String }) errorTitle: string | null;
  @ApiProperty({ nullable: true, type: String }) skipReason: string | null;
  @ApiProperty() createdAt: Date;
}

export class ContactMessagesPageView {
  @ApiProperty({ type: [ContactMessageViewSchema] }) data: ContactMessageViewSchema[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class ListViewSchema implements ListView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'members' }) size: number;
  @ApiProperty() createdAt: Date;
}

export class ListPageView {
  @ApiProperty({ type: [ListViewSchema] }) data: ListViewSchema[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
