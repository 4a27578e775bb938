import { Injectable } from '@nestjs/common';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { PLATFORM_CATALOG } from './catalog/platform-catalog';
import { EventTypeDefinition } from './event-type-definition';
import {
  InvalidEventTypeSchemaError,
  PayloadSchemaMismatchError,
  SampleSchemaMismatchError,
} from './event-types.errors';
import { checkSchemaShape } from './schema-rules';

/** OpenAPI 3.1 annotations that may sit in an imported schema; they validate nothing. */
const OPENAPI_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs'];
/** OpenAPI's format names beyond JSON Schema's; accepted as annotations. */
const OPENAPI_FORMATS = ['int32', 'int64', 'float', 'double', 'password', 'binary'];

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
    this.ajv.addVocabulary(OPENAPI_KEYWORDS);
    for (const format of OPENAPI_FORMATS) this.ajv.addFormat(format, true);
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

  /**
   * A tenant's schema: its shape (size, local refs only, safe patterns; see checkSchemaShape), then valid draft
   * 2020-12 and compilable. Refusals are InvalidEventTypeSchemaError naming the schema path of the fault.
   */
  checkSchema(schema: unknown, field = 'schema'): asserts schema is Record<string, unknown> {
    checkSchemaShape(schema, field);
    if (!this.ajv.validateSchema(schema)) {
      const error = this.ajv.errors?.[0];
      throw new InvalidEventTypeSchemaError(field, error?.instancePath ?? '', error?.message ?? 'is not a JSON Schema');
    }
    try {
      this.ajv.compile(schema);
    } catch (error) {
      throw new InvalidEventTypeSchemaError(field, '', error instanceof Error ? error.message : String(error));
    } finally {
      this.ajv.removeSchema(schema);
    }
  }

  /** The sample must meet the schema: SampleSchemaMismatchError names `samplePayload.<path>`. */
  checkSample(schema: Record<string, unknown>, sample: unknown): void {
    const validate = this.ajv.compile(schema);
    try {
      if (validate(sample)) return;
      const error = validate.errors?.[0];
      const { field, reason } = error ? describeError(error, 'samplePayload') : { field: 'samplePayload', reason: '' };
      throw new SampleSchemaMismatchError(field, `does not match the schema: ${reason || 'is invalid'}`);
    } finally {
      this.ajv.removeSchema(schema);
    }
  }

  /** Drops a tenant schema that changed or left the cache, so the compiler does not keep it. */
  forget(schema: Record<string, unknown>): void {
    this.validators.delete(schema);
    this.ajv.removeSchema(schema);
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

function describeError(error: ErrorObject, root = 'payload'): { field: string; reason: string } {
  const segments = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map(unescapePointer);
  const missing = error.params['missingProperty'];
  if (error.keyword === 'required' && typeof missing === 'string') {
    return { field: toPath([...segments, missing], root), reason: 'is required' };
  }
  return { field: toPath(segments, root), reason: error.message ?? `fails ${error.keyword}` };
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** JSON-pointer segments → `payload.order.line_items[0].sku`. */
function toPath(segments: string[], root: string): string {
  let path = root;
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}
