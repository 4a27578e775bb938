import { ValidationError, ValidationPipe } from '@nestjs/common';
import { BadUserInputError } from './domain-error';

function firstFailure(errors: ValidationError[], path = ''): { field: string; reason: string } {
  for (const error of errors) {
    const field = path ? `${path}.${error.property}` : error.property;
    const reason = Object.values(error.constraints ?? {})[0];
    if (reason) return { field, reason };
    if (error.children?.length) return firstFailure(error.children, field);
  }
  return { field: path || 'input', reason: 'is invalid' };
}

/** class-validator failures become BAD_USER_INPUT naming the field and the reason. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: false,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => {
      const { field, reason } = firstFailure(errors);
      return new BadUserInputError(field, reason);
    },
  });
}
