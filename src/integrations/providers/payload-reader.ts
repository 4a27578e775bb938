/**
 * Narrowing reads of provider JSON that fail with a message naming the provider, the event and the
 * path (`Faire ORDER_CREATED: body.items[1].quantity must be an integer`). Where several keys are
 * given, the first one present (not null/undefined) is read: providers mix camelCase and snake_case.
 */
export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class PayloadReader {
  private constructor(
    readonly value: JsonObject,
    private readonly path: string,
    private readonly context: string,
  ) {}

  static of(value: unknown, context: string, path = 'body'): PayloadReader {
    if (!isRecord(value)) throw new Error(`${context}: ${path} must be a JSON object`);
    return new PayloadReader(value, path, context);
  }

  has(...keys: string[]): boolean {
    return this.pick(keys) !== undefined;
  }

  string(...keys: string[]): string {
    return this.optString(...keys) ?? this.missing(keys, 'a string');
  }

  optString(...keys: string[]): string | undefined {
    const [key, value] = this.entry(keys);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return this.fail(key, 'must be a string');
    return value;
  }

  /** Ids arrive as strings or numbers (Temu's mall id); both become strings. */
  id(...keys: string[]): string {
    return this.optId(...keys) ?? this.missing(keys, 'an id');
  }

  optId(...keys: string[]): string | undefined {
    const [key, value] = this.entry(keys);
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return this.fail(key, 'must be a non-empty string or a number');
  }

  optNumber(...keys: string[]): number | undefined {
    const [key, value] = this.entry(keys);
    if (value === undefined) return undefined;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) return this.fail(key, 'must be a number');
    return n;
  }

  integer(...keys: string[]): number {
    return this.optInteger(...keys) ?? this.missing(keys, 'an integer');
  }

  optInteger(...keys: string[]): number | undefined {
    const [key] = this.entry(keys);
    const n = this.optNumber(...keys);
    if (n !== undefined && !Number.isInteger(n)) return this.fail(key, 'must be an integer');
    return n;
  }

  object(...keys: string[]): PayloadReader {
    return this.optObject(...keys) ?? this.missing(keys, 'an object');
  }

  optObject(...keys: string[]): PayloadReader | undefined {
    const [key, value] = this.entry(keys);
    if (value === undefined) return undefined;
    if (!isRecord(value)) return this.fail(key, 'must be an object');
    return new PayloadReader(value, `${this.path}.${key}`, this.context);
  }

  objects(...keys: string[]): PayloadReader[] {
    return this.optObjects(...keys) ?? this.missing(keys, 'an array');
  }

  optObjects(...keys: string[]): PayloadReader[] | undefined {
    const [key, value] = this.entry(keys);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) return this.fail(key, 'must be an array');
    return value.map((item: unknown, index) => {
      if (!isRecord(item)) return this.fail(`${key}[${index}]`, 'must be an object');
      return new PayloadReader(item, `${this.path}.${key}[${index}]`, this.context);
    });
  }

  fail(key: string, problem: string): never {
    throw new Error(`${this.context}: ${this.path}.${key} ${problem}`);
  }

  private missing(keys: string[], what: string): never {
    const alternatives = keys.length > 1 ? ` (or ${keys.slice(1).join(', ')})` : '';
    throw new Error(`${this.context}: ${this.path}.${keys[0]}${alternatives} is required and must be ${what}`);
  }

  private pick(keys: string[]): unknown {
    return this.entry(keys)[1];
  }

  private entry(keys: string[]): [string, unknown] {
    for (const key of keys) {
      const value = this.value[key];
      if (value !== undefined && value !== null) return [key, value];
    }
    return [keys[0] ?? '', undefined];
  }
}

/** Minor units → major units, for the usual ISO 4217 exponents. */
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
const THREE_DECIMAL = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

export function fromMinorUnits(amountMinor: number, currency: string): number {
  const code = currency.toUpperCase();
  const exponent = ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2;
  return Number((amountMinor / 10 ** exponent).toFixed(exponent));
}

/** Drops undefined fields so payloads carry no `"x": undefined`. */
export function compact(record: Record<string, unknown>): JsonObject {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
