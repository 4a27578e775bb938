/**
 * The checked condition: what condition-checker.ts makes of jsep's AST once every name, operator,
 * method and global is known to be on the whitelist. Parameters are resolved to scope slots, so
 * the closures (condition-closures.ts) and the fused forms (condition-forms.ts) need no more checks.
 */

/** The values a literal (or undefined, NaN, Infinity) can have. */
export type LiteralValue = string | number | boolean | null | undefined;

export type ComparisonOperator = '===' | '!==' | '==' | '!=' | '<' | '<=' | '>' | '>=';
export type BinaryOperator = ComparisonOperator | '+' | '-' | '*' | '/' | '%' | '&&' | '||' | '??';
export type UnaryOperator = '-' | '+' | '!';

export type GlobalFunction =
  | 'Number'
  | 'String'
  | 'Boolean'
  | 'Math.min'
  | 'Math.max'
  | 'Math.abs'
  | 'Math.round'
  | 'Array.isArray'
  | 'Date.parse';
export type StringMethod = 'toLowerCase' | 'toUpperCase' | 'trim' | 'includes' | 'startsWith' | 'endsWith' | 'indexOf';
export type ArrayMethod = 'includes' | 'indexOf';
export type CallbackMethod = 'some' | 'every' | 'filter' | 'map' | 'find';

export type CheckedNode =
  | { readonly kind: 'literal'; readonly value: LiteralValue }
  | { readonly kind: 'param'; readonly slot: number }
  | { readonly kind: 'array'; readonly items: readonly CheckedNode[] }
  | { readonly kind: 'unary'; readonly operator: UnaryOperator; readonly argument: CheckedNode }
  | {
      readonly kind: 'binary';
      readonly operator: BinaryOperator;
      readonly left: CheckedNode;
      readonly right: CheckedNode;
    }
  | {
      readonly kind: 'conditional';
      readonly test: CheckedNode;
      readonly consequent: CheckedNode;
      readonly alternate: CheckedNode;
    }
  /** `a.name` / `a?.name`, the name not denied. */
  | { readonly kind: 'member'; readonly object: CheckedNode; readonly name: string; readonly optional: boolean }
  /** `a[key]`, the key checked at run time. */
  | { readonly kind: 'computed'; readonly object: CheckedNode; readonly key: CheckedNode; readonly optional: boolean }
  | { readonly kind: 'global'; readonly name: GlobalFunction; readonly args: readonly CheckedNode[] }
  /** A string or array method: what it does depends on the target's type at run time. */
  | {
      readonly kind: 'method';
      readonly name: StringMethod;
      readonly object: CheckedNode;
      readonly args: readonly CheckedNode[];
      readonly optional: boolean;
    }
  /** `list.some((item, index) => body)`; a slot is -1 when the callback leaves that parameter out. */
  | {
      readonly kind: 'callback';
      readonly name: CallbackMethod;
      readonly object: CheckedNode;
      readonly optional: boolean;
      readonly itemSlot: number;
      readonly indexSlot: number;
      readonly body: CheckedNode;
    };

export interface CheckedCondition {
  /** The body; slot 0 is the condition's parameter, the extracted value. */
  readonly body: CheckedNode;
  /** Slots the scope needs: the parameter and every callback parameter. */
  readonly slotCount: number;
}

export const COMPARISON_OPERATORS: ReadonlySet<string> = new Set<ComparisonOperator>([
  '===',
  '!==',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
]);
export const BINARY_OPERATORS: ReadonlySet<string> = new Set<BinaryOperator>([
  ...(COMPARISON_OPERATORS as ReadonlySet<ComparisonOperator>),
  ...(['+', '-', '*', '/', '%', '&&', '||', '??'] as const),
]);
export const UNARY_OPERATORS: ReadonlySet<string> = new Set<UnaryOperator>(['-', '+', '!']);

export const STRING_METHODS: ReadonlySet<string> = new Set<StringMethod>([
  'toLowerCase',
  'toUpperCase',
  'trim',
  'includes',
  'startsWith',
  'endsWith',
  'indexOf',
]);
export const ARRAY_METHODS: ReadonlySet<string> = new Set<ArrayMethod>(['includes', 'indexOf']);
export const CALLBACK_METHODS: ReadonlySet<string> = new Set<CallbackMethod>([
  'some',
  'every',
  'filter',
  'map',
  'find',
]);
export const NO_ARG_METHODS: ReadonlySet<string> = new Set<StringMethod>(['toLowerCase', 'toUpperCase', 'trim']);

/** Names that stand for constants: `undefined`, `NaN`, `Infinity`. */
export const CONSTANTS: ReadonlyMap<string, LiteralValue> = new Map<string, LiteralValue>([
  ['undefined', undefined],
  ['NaN', NaN],
  ['Infinity', Infinity],
]);

export const GLOBAL_FUNCTIONS: ReadonlySet<string> = new Set(['Number', 'String', 'Boolean']);
export const GLOBAL_NAMESPACES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['Math', new Set(['min', 'max', 'abs', 'round'])],
  ['Array', new Set(['isArray'])],
  ['Date', new Set(['parse'])],
]);
/** How many arguments each global takes: [min, max]. */
export const GLOBAL_ARITY: Readonly<Record<GlobalFunction, readonly [number, number]>> = {
  Number: [0, 1],
  String: [0, 1],
  Boolean: [0, 1],
  'Math.min': [0, 32],
  'Math.max': [0, 32],
  'Math.abs': [1, 1],
  'Math.round': [1, 1],
  'Array.isArray': [1, 1],
  'Date.parse': [1, 1],
};
/** Names jsep reads as identifiers that JS gives a meaning the whitelist does not have. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'new',
  'typeof',
  'void',
  'delete',
  'in',
  'instanceof',
  'await',
  'yield',
  'function',
  'return',
  'var',
  'let',
  'const',
  'while',
  'for',
  'if',
  'import',
  'class',
]);
