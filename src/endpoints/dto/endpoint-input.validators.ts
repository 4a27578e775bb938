import { applyDecorators } from '@nestjs/common';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  MAX_DESCRIPTION_LENGTH,
  MAX_LIST_ENTRIES,
  MAX_LIST_ENTRY_LENGTH,
  MAX_RATE_LIMIT,
  MIN_RATE_LIMIT,
} from '../endpoint-rules';

/** Shared by create and update: the service re-checks and deduplicates (endpoint-rules.ts). */
export const IsNameList = (): PropertyDecorator =>
  applyDecorators(
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_LIST_ENTRIES),
    IsString({ each: true }),
    Length(1, MAX_LIST_ENTRY_LENGTH, {
      each: true,
      message: `entries must be 1 to ${MAX_LIST_ENTRY_LENGTH} characters`,
    }),
    Matches(/^[^\u0000-\u001f\u007f]*$/, { each: true, message: 'entries must not contain control characters' }),
  ) as PropertyDecorator;

export const IsDescription = (): PropertyDecorator =>
  applyDecorators(IsOptional(), IsString(), MaxLength(MAX_DESCRIPTION_LENGTH)) as PropertyDecorator;

export const IsRateLimit = (): PropertyDecorator =>
  applyDecorators(
    IsOptional(),
    IsInt(),
    Min(MIN_RATE_LIMIT, { message: `must be between ${MIN_RATE_LIMIT} and ${MAX_RATE_LIMIT}` }),
    Max(MAX_RATE_LIMIT, { message: `must be between ${MIN_RATE_LIMIT} and ${MAX_RATE_LIMIT}` }),
  ) as PropertyDecorator;
