import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString } from 'class-validator';

/** An optional list of tags (at most 50), as contacts and broadcasts take them. */
export function TagsProperty(description?: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: [String], ...(description ? { description } : {}) }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(50),
    IsString({ each: true }),
  );
}
