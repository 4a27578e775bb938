import type { Type } from '@nestjs/common';
import { validationPipe } from '../common/errors/validation-pipe';

const pipe = validationPipe();

/**
 * Tool arguments checked by the very rules GraphQL applies to the same input type (class-validator constraints, string
 * limits, storable text); a failure is the same BAD_USER_INPUT naming the field.
 */
export async function asInput<T extends object>(metatype: Type<T>, value: object, data = 'input'): Promise<T> {
  return (await pipe.transform(value, { type: 'body', metatype, data })) as T;
}
