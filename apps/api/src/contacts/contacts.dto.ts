import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
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
import { DomainError } from '@clarion/common';
import type { ContactFilter, ContactSort, ContactSortField } from '@clarion/contacts';
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
