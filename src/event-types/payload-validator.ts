import { Injectable } from '@nestjs/common';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { PLATFORM_CATALOG } from './catalog/platform-catalog';
import { EventTypeDefinition } from './event-type-definition';
import { PayloadSchemaMismatchError } from './event-types.errors';

/**
 * Validates event payloads against their type's JSON Schema. Each schema is compiled once: the shipped ones at
 * construction (a bad one stops the boot), any other on first use.
 */
@Injectable()
export class PayloadValidator {
  private readonly ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
  private readonly validators = new WeakMap<Record<string, unknown>, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
    for (const definition of PLATFORM_CATALOG) this.compiled(definition);
  }

  /** Throws PayloadSchemaMismatchError('payload.<path>', reason) for the first violation found. */
  validate(type: EventTypeDefinition, payload: unknown): void {
    const validate = this.compiled(type);
    if (validate(payload)) return;
    const error = validate.errors?.[0];
    if (!error) throw new PayloadSchemaMismatchError('payload', 'is invalid');
    const { field, reason } = describeError(error);
    throw new PayloadSchemaMismatchError(field, reason);
  }

  private compiled(type: EventTypeDefinition): ValidateFunction {
    let validate = this.validators.get(type.schema);
    if (!validate) {
      validate = this.ajv.compile(type.schema);
      this.validators.set(type.schema, validate);
    }
    return validate;
  }
}

function describeError(error: ErrorObject): { field: string; reason: string } {
  const segments = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map(unescapePointer);
  const missing = error.params['missingProperty'];
  if (error.keyword === 'required' && typeof missing === 'string') {
    return { field: toPath([...segments, missing]), reason: 'is required' };
  }
  return { field: toPath(segments), reason: error.message ?? `fails ${error.keyword}` };
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** JSON-pointer segments → `payload.order.line_items[0].sku`. */
function toPath(segments: string[]): string {
  let path = 'payload';
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}
