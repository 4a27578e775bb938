import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { AsyncLocalStorage } from 'node:async_hooks';
import { isJsonScalarValue } from '../graphql/scalars';
import { UnstorableTextError } from '../graphql/graphql.errors';
import { findUnstorableText } from '../graphql/storable-text';
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

type Container = Record<string | number, unknown>;

/** A JSON scalar value taken out of an argument, and where it goes back. */
interface Detached {
  path: (string | number)[];
  value: unknown;
}

function isPlainContainer(value: unknown): value is Container {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return Array.isArray(value) || proto === Object.prototype || proto === null;
}

/** Replaces every JSON scalar value below `root` with an empty stand-in of its kind; iterative. */
function detachJsonValues(root: unknown): Detached[] {
  const detached: Detached[] = [];
  if (!isPlainContainer(root) || isJsonScalarValue(root)) return detached;
  const stack: { node: Container; path: (string | number)[] }[] = [{ node: root, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: Container; path: (string | number)[] };
    for (const key of Object.keys(node)) {
      const child = node[key];
      const at = [...path, Array.isArray(node) ? Number(key) : key];
      if (isJsonScalarValue(child)) {
        detached.push({ path: at, value: child });
        node[key] = Array.isArray(child) ? [] : {};
      } else if (isPlainContainer(child)) {
        stack.push({ node: child, path: at });
      }
    }
  }
  return detached;
}

function reattach(root: unknown, detached: readonly Detached[]): void {
  for (const { path, value } of detached) {
    let node: unknown = root;
    for (const key of path.slice(0, -1))
      node = typeof node === 'object' && node !== null ? (node as Container)[key] : undefined;
    if (typeof node === 'object' && node !== null) (node as Container)[path[path.length - 1]] = value;
  }
}

/** Parameter kinds that are not client input: GraphQL's parent, context and info (0-2), and custom decorators. */
function isClientInput(metadata: ArgumentMetadata): boolean {
  const type: unknown = metadata.type;
  return type !== 'custom' && !(typeof type === 'number' && type < 3);
}

/**
 * class-validator failures become BAD_USER_INPUT naming the field and the reason. Before that, every string and
 * member name of the input must be storable (no NUL, no lone surrogate), and JSON scalar values are kept whole:
 * class-transformer never sees them (it would drop "constructor", "toString" and other members that Object.prototype
 * also has), yet the validators do.
 */
class InputValidationPipe extends ValidationPipe {
  private readonly detachedJson = new AsyncLocalStorage<readonly Detached[]>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (!isClientInput(metadata)) return super.transform(value, metadata);
    const unstorable = findUnstorableText(
      value,
      typeof value === 'object' && value !== null ? '' : (metadata.data ?? ''),
      isJsonScalarValue,
    );
    if (unstorable) throw new UnstorableTextError(unstorable.field, unstorable.reason);
    const detached = detachJsonValues(value);
    if (detached.length === 0) return super.transform(value, metadata);
    try {
      const result = await this.detachedJson.run(detached, () => super.transform(value, metadata));
      reattach(result, detached);
      return result;
    } finally {
      reattach(value, detached);
    }
  }

  override validate(object: object, validatorOptions?: ValidatorOptions) {
    const detached = this.detachedJson.getStore();
    if (detached) reattach(object, detached);
    return super.validate(object, validatorOptions);
  }
}

export function validationPipe(): ValidationPipe {
  return new InputValidationPipe({
    transform: true,
    whitelist: false,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => {
      const { field, reason } = firstFailure(errors);
      return new BadUserInputError(field, reason);
    },
  });
}
