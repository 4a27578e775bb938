import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode } from './domain-error';

const HTTP_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.BadUserInput]: 400,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.Unprocessable]: 422,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.Internal]: 500,
};

/**
 * Domain errors are expected outcomes, not crashes: in GraphQL they are handed back to the error formatter
 * (which maps the code); on REST they become the matching status. Nest would otherwise log them as errors.
 */
@Catch(DomainError)
export class DomainExceptionFilter implements ExceptionFilter {
  catch(error: DomainError, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return error;
    const res = host.switchToHttp().getResponse<Response>();
    res
      .status(HTTP_STATUS[error.code])
      .json({ error: { code: error.code, message: error.message, ...error.extensions() } });
    return undefined;
  }
}
