import { Injectable } from '@nestjs/common';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { BadUserInputError } from '../common/errors/domain-error';
import { EVENT_TYPE_CATALOG, findEventType } from './event-type-catalog';

export { findEventType };

/** Validates event payloads against the catalog; each schema is compiled once, at construction. */
@Injectable()
export class PayloadValidator {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor() {
    const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    for (const definition of EVENT_TYPE_CATALOG) {
      this.validators.set(definition.name, ajv.compile(definition.schema));
    }
  }

  /** Throws BadUserInputError('payload.<path>', reason) for the first violation found. */
  validate(eventType: string, payload: unknown): void {
    const validate = this.validators.get(eventType);
    if (!validate) throw new BadUserInputError('eventType', `unknown event type "${eventType}"`);
    if (validate(payload)) return;
    const error = validate.errors?.[0];
    if (!error) throw new BadUserInputError('payload', 'is invalid');
    const { field, reason } = describeError(error);
    throw new BadUserInputError(field, reason);
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
