import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';

/** The HTTP `Idempotency-Key` header, when the operation came over HTTP. */
export const IdempotencyKeyHeader = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined => {
    const ctx = GqlExecutionContext.create(context).getContext<{
      req?: { headers?: Record<string, string | string[] | undefined> };
    }>();
    const value = ctx.req?.headers?.['idempotency-key'];
    return Array.isArray(value) ? value[0] : value;
  },
);
