/**
 * Compiles a whitelisted condition AST into closures. User text is never executed: every
 * operator, method and global is implemented here, by value type, and unknown forms are refused
 * at compile time.
 */
import type jsep from 'jsep';
import { BadUserInputError } from '../../common/errors/domain-error';
import { ConditionRuntimeError } from './filter-engine.errors';
import { ConditionAst, isAstNode, parseCondition } from './condition-parser';
import {
  DENIED_PROPERTIES,
  add,
  isPlainObject,
  checkComputedKey,
  compare,
  looseEquals,
  readProperty,
  sameValueZero,
  toNum,
  strictEquals,
  throwStringLimit,
  toStr,
  typeName,
} from './safe-values';
import { FilterLimits } from './limits';
import { CHARS_PER_STEP, StepBudget } from './step-budget';

export interface CompiledCondition {
  readonly source: string;
  /** Runs the condition on one value. Throws on a type mismatch or a limit: the caller decides. */
  run(value: unknown, budget: StepBudget): unknown;
  /** Set when the whole condition is one of the shapes fast-leaf.ts fuses with its query. */
  readonly form?: ConditionForm;
}

export type ComparisonOperator = '===' | '!==' | '==' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * A test of one value (the condition's parameter, or a callback's item) against literals, with
 * its steps: `v > 100` and `100 < v` (3 steps: operator, value, literal), `["US", "CA"].includes(v)`
 * (the call, the array's length + 1, the value, then one per element compared) and
 * `v.startsWith("SKU-")` / endsWith (3 steps: call, value, literal; a non-string value throws).
 */
export type ValueTest =
  | { readonly kind: 'compare'; readonly operator: ComparisonOperator; readonly literal: unknown; readonly valueFirst: boolean }
  | { readonly kind: 'oneOf'; readonly literals: readonly unknown[] }
  | { readonly kind: 'affix'; readonly starts: boolean; readonly text: string };

/** A ValueTest on the parameter, or `v.some(x => test)` / `v.every(x => test)` with a ValueTest on x. */
export type ConditionForm = ValueTest | { readonly kind: 'each'; readonly every: boolean; readonly item: ValueTest };

interface Scope {
  readonly vars: unknown[];
  budget: StepBudget;
}

type Fn = (scope: Scope) => unknown;

interface ArrowNode extends jsep.Expression {
  type: 'ArrowFunctionExpression';
  params: jsep.Expression[] | null;
  body: jsep.Expression;
}

/** Parses and compiles; throws BadUserInputError(field, reason) for syntax and whitelist violations. */
export function compileCondition(source: unknown, field: string): CompiledCondition {
  const ast = parseCondition(source, field);
  const text = source as string;
  const compiler = new Compiler(field);
  let bindings: ReadonlyArray<readonly [string, number]>;
  let bodyAst: ConditionAst;
  if (ast.type === 'ArrowFunctionExpression') {
    const arrow = ast as ArrowNode;
    bindings = compiler.params(arrow, 1).map((name) => [name, 0] as const);
    bodyAst = arrow.body;
  } else {
    // A bare expression names the value `value` (or `v`).
    bindings = [['value', 0], ['v', 0]];
    bodyAst = ast;
  }
  const body = compiler.withBindings(bindings, () => compiler.expr(bodyAst));
  // Only after expr() has validated the whole condition.
  const form = compiler.withBindings(bindings, () => compiler.form(bodyAst));
  // One scope per compiled condition, reused: evaluation is synchronous and a condition cannot
  // call itself, so runs never overlap. Cleared after each run so no payload stays referenced.
  const scope: Scope = { vars: new Array<unknown>(compiler.slotCount).fill(undefined), budget: new StepBudget() };
  return {
    source: text,
    ...(form === null ? {} : { form }),
    run(value, budget) {
      const vars = scope.vars;
      scope.budget = budget;
      vars[0] = value;
      try {
        const result = body(scope);
        for (let i = 0; i < vars.length; i++) vars[i] = undefined;
        return result;
      } catch (error) {
        for (let i = 0; i < vars.length; i++) vars[i] = undefined;
        throw error;
      }
    },
  };
}

const tick = (scope: Scope): void => {
  const budget = scope.budget;
  if (++budget.steps > budget.checkAt) budget.overrun();
};

/** Several steps at once, for nodes whose steps always come together with nothing in between that can fail. */
const charge = (scope: Scope, count: number): void => {
  scope.budget.charge(count);
};

/**
 * A literal or a bound parameter: one step that cannot fail, so a parent can charge for it with
 * its own step and read it inline instead of calling a closure. `slot` is LITERAL for a constant.
 */
interface Operand {
  readonly slot: number;
  readonly value: unknown;
}

const LITERAL = -1;

/** Stands for a callback's item while form() matches the callback body; never a real slot. */
const ITEM_SLOT = -2;

const COMPARISON_OPERATORS: ReadonlySet<string> = new Set(['===', '!==', '==', '!=', '<', '<=', '>', '>=']);

const CONSTANTS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['undefined', undefined],
  ['NaN', NaN],
  ['Infinity', Infinity],
]);

const GLOBAL_FUNCTIONS = new Set(['Number', 'String', 'Boolean']);
const GLOBAL_NAMESPACES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['Math', new Set(['min', 'max', 'abs', 'round'])],
  ['Array', new Set(['isArray'])],
  ['Date', new Set(['parse'])],
]);
const KEYWORDS = new Set(['new', 'typeof', 'void', 'delete', 'in', 'instanceof', 'await', 'yield', 'function', 'return', 'var', 'let', 'const', 'while', 'for', 'if', 'import', 'class']);

const ARRAY_METHODS = new Set(['includes', 'indexOf']);
const CALLBACK_METHODS = new Set(['some', 'every', 'filter', 'map', 'find']);
const NO_ARG_METHODS = new Set(['toLowerCase', 'toUpperCase', 'trim']);

const BINARY_OPERATORS = new Set(['==', '===', '!=', '!==', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '&&', '||', '??']);
const UNARY_OPERATORS = new Set(['-', '+', '!']);

const ALLOWED_OPERATORS = 'allowed operators: == === != !== < <= > >= + - * / % && || ! ?? and a ? b : c';
const ALLOWED_FUNCTIONS = 'allowed functions: Number, String, Boolean, Math.min, Math.max, Math.abs, Math.round, Array.isArray, Date.parse';
const ALLOWED_METHODS =
  'allowed methods: includes, startsWith, endsWith, toLowerCase, toUpperCase, trim, indexOf (strings); ' +
  'includes, indexOf, some, every, filter, map, find (arrays); and the length property';

class Compiler {
  slotCount = 1;
  private readonly scopes: Array<ReadonlyMap<string, number>> = [];

  constructor(private readonly field: string) {}

  fail(reason: string): never {
    throw new BadUserInputError(this.field, reason);
  }

  withBindings<T>(bindings: ReadonlyArray<readonly [string, number]>, build: () => T): T {
    this.scopes.push(new Map(bindings));
    try {
      return build();
    } finally {
      this.scopes.pop();
    }
  }

  params(arrow: ArrowNode, max: number): string[] {
    const params = arrow.params ?? [];
    if (params.length > max) {
      this.fail(max === 1 ? 'a condition takes one parameter, the extracted value' : `a callback takes at most ${max} parameters`);
    }
    return params.map((param) => {
      if (param.type !== 'Identifier') this.fail('parameters must be plain names (no destructuring or defaults)');
      const name = (param as jsep.Identifier).name;
      if (KEYWORDS.has(name) || CONSTANTS.has(name)) this.fail(`"${name}" cannot be a parameter name`);
      return name;
    });
  }

  private lookup(name: string): number | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const slot = this.scopes[i].get(name);
      if (slot !== undefined) return slot;
    }
    return undefined;
  }

  /** The node as an Operand, or null when it is anything else (or invalid: expr() reports that). */
  private operand(node: ConditionAst): Operand | null {
    if (node.type === 'Literal') {
      const value = literalValue(node as jsep.Literal);
      const valid = value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
      return valid ? { slot: LITERAL, value } : null;
    }
    if (node.type === 'Identifier') {
      const name = (node as jsep.Identifier).name;
      const slot = this.lookup(name);
      if (slot !== undefined) return { slot, value: undefined };
      if (CONSTANTS.has(name)) return { slot: LITERAL, value: CONSTANTS.get(name) };
    }
    return null;
  }

  /** The condition body (slot 0 is its parameter) as a ConditionForm, or null. Run after expr(). */
  form(node: ConditionAst): ConditionForm | null {
    const test = this.valueTest(node, 0);
    if (test !== null || node.type !== 'CallExpression') return test;
    const call = node as jsep.CallExpression;
    const callee = call.callee as jsep.MemberExpression;
    if (callee.type !== 'MemberExpression' || callee.computed || callee.optional === true || call.arguments.length !== 1) return null;
    const method = (callee.property as jsep.Identifier).name;
    if ((method !== 'some' && method !== 'every') || this.operand(callee.object)?.slot !== 0) return null;
    const arrow = call.arguments[0] as ArrowNode;
    if (arrow.type !== 'ArrowFunctionExpression' || arrow.params?.length !== 1 || arrow.params[0].type !== 'Identifier') return null;
    // Matched by slot, so a shadowing parameter (`v.some(v => v > 1)`) is the item, as in expr().
    const item = this.withBindings([[(arrow.params[0] as jsep.Identifier).name, ITEM_SLOT]], () => this.valueTest(arrow.body, ITEM_SLOT));
    return item === null ? null : { kind: 'each', every: method === 'every', item };
  }

  /** `node` as a ValueTest on the value in `slot`, or null. */
  private valueTest(node: ConditionAst, slot: number): ValueTest | null {
    if (node.type === 'BinaryExpression') {
      const { operator, left, right } = node as jsep.BinaryExpression;
      if (!COMPARISON_OPERATORS.has(operator)) return null;
      const a = this.operand(left);
      const b = this.operand(right);
      if (a === null || b === null) return null;
      const op = operator as ComparisonOperator;
      if (a.slot === slot && b.slot === LITERAL) return { kind: 'compare', operator: op, literal: b.value, valueFirst: true };
      if (a.slot === LITERAL && b.slot === slot) return { kind: 'compare', operator: op, literal: a.value, valueFirst: false };
      return null;
    }
    if (node.type !== 'CallExpression') return null;
    const call = node as jsep.CallExpression;
    const callee = call.callee as jsep.MemberExpression;
    if (callee.type !== 'MemberExpression' || callee.computed || callee.optional === true || call.arguments.length !== 1) return null;
    const method = (callee.property as jsep.Identifier).name;
    const arg = this.operand(call.arguments[0]);
    if (arg === null) return null;
    const literals = constantArray(callee.object);
    if (method === 'includes' && literals !== null && arg.slot === slot) return { kind: 'oneOf', literals };
    if ((method === 'startsWith' || method === 'endsWith') && this.operand(callee.object)?.slot === slot) {
      if (arg.slot === LITERAL && typeof arg.value === 'string') return { kind: 'affix', starts: method === 'startsWith', text: arg.value };
    }
    return null;
  }

  expr(node: ConditionAst): Fn {
    switch (node.type) {
      case 'Literal':
        return this.literal(node as jsep.Literal);
      case 'Identifier':
        return this.identifier((node as jsep.Identifier).name);
      case 'ThisExpression':
        return this.fail('"this" is not allowed');
      case 'ArrayExpression':
        return this.array(node as jsep.ArrayExpression);
      case 'UnaryExpression':
        return this.unary(node as jsep.UnaryExpression);
      case 'BinaryExpression':
        return this.binary(node as jsep.BinaryExpression);
      case 'ConditionalExpression':
        return this.conditional(node as jsep.ConditionalExpression);
      case 'MemberExpression':
        return this.member(node as jsep.MemberExpression);
      case 'CallExpression':
        return this.call(node as jsep.CallExpression);
      case 'ArrowFunctionExpression':
        return this.fail('arrow functions are only allowed as the whole condition or as the callback of some, every, filter, map or find');
      case 'Compound':
        return this.compound(node as jsep.Compound);
      case 'SequenceExpression':
        return this.fail('sequence expressions (a, b) are not supported');
      default:
        return this.fail(`${node.type} is not supported`);
    }
  }

  /** jsep reads `new Date()` or `typeof v` as expressions side by side: name the keyword. */
  private compound(node: jsep.Compound): never {
    const stack: unknown[] = [...node.body];
    while (stack.length > 0) {
      const part = stack.pop();
      if (!isAstNode(part)) continue;
      if (part.type === 'Identifier' && KEYWORDS.has((part as jsep.Identifier).name)) {
        this.fail(`"${(part as jsep.Identifier).name}" is not supported`);
      }
      for (const child of Object.values(part)) {
        if (Array.isArray(child)) stack.push(...child);
        else stack.push(child);
      }
    }
    this.fail('write a single expression (found several expressions side by side)');
  }

  private literal(node: jsep.Literal): Fn {
    const value = literalValue(node);
    if (value instanceof RegExp) this.fail('regular expressions are not supported');
    if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      this.fail('unsupported literal');
    }
    return (scope) => {
      tick(scope);
      return value;
    };
  }

  private identifier(name: string): Fn {
    const slot = this.lookup(name);
    if (slot !== undefined) {
      return (scope) => {
        tick(scope);
        return scope.vars[slot];
      };
    }
    if (CONSTANTS.has(name)) {
      const value = CONSTANTS.get(name);
      return (scope) => {
        tick(scope);
        return value;
      };
    }
    if (GLOBAL_FUNCTIONS.has(name) || GLOBAL_NAMESPACES.has(name)) {
      this.fail(`${name} can only be called (e.g. ${name === 'Math' ? 'Math.max(a, b)' : name === 'Array' ? 'Array.isArray(x)' : name === 'Date' ? 'Date.parse(s)' : `${name}(x)`})`);
    }
    if (KEYWORDS.has(name)) this.fail(`"${name}" is not supported`);
    return this.fail(`identifier "${name}" is not allowed; only the parameter and whitelisted functions can be used`);
  }

  private array(node: jsep.ArrayExpression): Fn {
    const items = node.elements.map((element) => {
      if (element === null) this.fail('array holes are not supported');
      return this.expr(element);
    });
    if (node.elements.every((element) => element !== null && element.type === 'Literal')) {
      // ["US", "CA"] is built once; frozen because the same instance is returned every run.
      const constant = Object.freeze(node.elements.map((element) => literalValue(element as jsep.Literal)));
      const cost = constant.length + 1;
      return (scope) => {
        scope.budget.charge(cost);
        return constant;
      };
    }
    return (scope) => {
      tick(scope);
      const out = new Array<unknown>(items.length);
      for (let i = 0; i < items.length; i++) out[i] = items[i](scope);
      return out;
    };
  }

  private unary(node: jsep.UnaryExpression): Fn {
    if (!UNARY_OPERATORS.has(node.operator)) this.fail(`operator "${node.operator}" is not supported; ${ALLOWED_OPERATORS}`);
    const arg = this.expr(node.argument);
    switch (node.operator) {
      case '!':
        return (scope) => {
          tick(scope);
          return !arg(scope);
        };
      case '-':
        return (scope) => {
          tick(scope);
          return -toNum(arg(scope), scope.budget);
        };
      default:
        return (scope) => {
          tick(scope);
          return toNum(arg(scope), scope.budget);
        };
    }
  }

  private binary(node: jsep.BinaryExpression): Fn {
    const op = node.operator;
    if (op === '=>') return this.fail('arrow functions are only allowed as the whole condition or as a callback');
    if (!BINARY_OPERATORS.has(op)) this.fail(`operator "${op}" is not supported; ${ALLOWED_OPERATORS}`);
    const left = this.expr(node.left);
    const right = this.expr(node.right);
    const a = this.operand(node.left);
    const b = this.operand(node.right);
    if (a !== null && b !== null) {
      const fused = operandBinary(op, a, b);
      if (fused !== null) return fused;
    }
    switch (op) {
      case '&&':
        return (s) => (tick(s), left(s) && right(s));
      case '||':
        return (s) => (tick(s), left(s) || right(s));
      case '??':
        return (s) => (tick(s), left(s) ?? right(s));
      case '===':
        return (s) => (tick(s), strictEquals(left(s), right(s), s.budget));
      case '!==':
        return (s) => (tick(s), !strictEquals(left(s), right(s), s.budget));
      case '==':
        return (s) => (tick(s), looseEquals(left(s), right(s), s.budget));
      case '!=':
        return (s) => (tick(s), !looseEquals(left(s), right(s), s.budget));
      case '<':
      case '<=':
      case '>':
      case '>=':
        return (s) => {
          tick(s);
          const a = left(s);
          const b = right(s);
          if (typeof a === 'number' && typeof b === 'number') {
            return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
          }
          return compare(op, a, b, s.budget);
        };
      case '+':
        return (s) => (tick(s), add(left(s), right(s), s.budget));
      case '-':
        return (s) => (tick(s), toNum(left(s), s.budget) - toNum(right(s), s.budget));
      case '*':
        return (s) => (tick(s), toNum(left(s), s.budget) * toNum(right(s), s.budget));
      case '/':
        return (s) => (tick(s), toNum(left(s), s.budget) / toNum(right(s), s.budget));
      default:
        return (s) => (tick(s), toNum(left(s), s.budget) % toNum(right(s), s.budget));
    }
  }

  private conditional(node: jsep.ConditionalExpression): Fn {
    const test = this.expr(node.test);
    const consequent = this.expr(node.consequent);
    const alternate = this.expr(node.alternate);
    return (s) => (tick(s), test(s) ? consequent(s) : alternate(s));
  }

  /** Static names are checked here; computed keys at run time by checkComputedKey. */
  private member(node: jsep.MemberExpression): Fn {
    const optional = node.optional === true;
    const object = this.expr(node.object);
    if (!node.computed) {
      const name = this.staticName(node);
      return (s) => {
        tick(s);
        const target = object(s);
        if (isPlainObject(target)) return Object.hasOwn(target, name) ? target[name] : undefined;
        return readProperty(target, name, optional);
      };
    }
    const property = node.property;
    if (property.type === 'Literal') {
      const key: unknown = (property as jsep.Literal).value;
      if (typeof key === 'string' && DENIED_PROPERTIES.has(key)) this.fail(`property "${key}" is not allowed`);
    }
    const computed = this.expr(property);
    return (s) => {
      tick(s);
      const target = object(s);
      if (optional && (target === null || target === undefined)) return undefined;
      return readProperty(target, checkComputedKey(computed(s)), optional);
    };
  }

  private staticName(node: jsep.MemberExpression): string {
    if (node.property.type !== 'Identifier') this.fail('unsupported property access');
    const name = (node.property as jsep.Identifier).name;
    if (DENIED_PROPERTIES.has(name)) this.fail(`property "${name}" is not allowed`);
    return name;
  }

  private call(node: jsep.CallExpression): Fn {
    const callee = node.callee;
    if (callee.type === 'Identifier') {
      const name = (callee as jsep.Identifier).name;
      const bound = this.lookup(name) !== undefined;
      if (!bound && GLOBAL_FUNCTIONS.has(name)) return this.globalFunction(name, node.arguments);
      if (bound) this.fail(`"${name}" is a value, not a function`);
      if (KEYWORDS.has(name)) this.fail(`"${name}" is not supported`);
      return this.fail(`calling "${name}" is not allowed; ${ALLOWED_FUNCTIONS}`);
    }
    if (callee.type !== 'MemberExpression') {
      // Compiling the callee first reports the precise fault (e.g. a denied property) if there is one.
      this.expr(callee);
      return this.fail(`only whitelisted functions and methods can be called, not the result of an expression; ${ALLOWED_FUNCTIONS}`);
    }
    const member = callee as jsep.MemberExpression;
    if (member.object.type === 'Identifier') {
      const namespace = (member.object as jsep.Identifier).name;
      const allowed = GLOBAL_NAMESPACES.get(namespace);
      if (allowed && this.lookup(namespace) === undefined) {
        const name = member.computed ? '[…]' : this.staticName(member);
        if (!allowed.has(name)) this.fail(`${namespace}.${name} is not allowed; ${ALLOWED_FUNCTIONS}`);
        return this.globalFunction(`${namespace}.${name}`, node.arguments);
      }
    }
    const object = this.expr(member.object);
    if (member.computed) return this.fail('methods must be called by name (v.includes(x)), not by computed key');
    const name = this.staticName(member);
    if (CALLBACK_METHODS.has(name)) return this.callbackMethod(name, object, member.optional === true, node.arguments);
    if (STRING_IMPLEMENTATIONS.has(name) || ARRAY_METHODS.has(name)) {
      const general = this.plainMethod(name, object, member.optional === true, node.arguments);
      return this.operandMethod(name, member.object, member.optional === true, node.arguments) ?? general;
    }
    return this.fail(`method "${name}" is not allowed; ${ALLOWED_METHODS}`);
  }

  private args(args: jsep.Expression[], min: number, max: number, what: string): Fn[] {
    if (args.length < min || args.length > max) {
      this.fail(min === max ? `${what} takes ${min} argument${min === 1 ? '' : 's'}` : `${what} takes ${min} to ${max} arguments`);
    }
    return args.map((arg) => this.expr(arg));
  }

  private globalFunction(name: string, rawArgs: jsep.Expression[]): Fn {
    switch (name) {
      case 'Number': {
        const [arg] = this.args(rawArgs, 0, 1, name);
        return (s) => (tick(s), arg ? toNum(arg(s), s.budget) : 0);
      }
      case 'String': {
        const [arg] = this.args(rawArgs, 0, 1, name);
        return (s) => (tick(s), arg ? toStr(arg(s), s.budget) : '');
      }
      case 'Boolean': {
        const [arg] = this.args(rawArgs, 0, 1, name);
        return (s) => (tick(s), arg ? Boolean(arg(s)) : false);
      }
      case 'Math.min':
      case 'Math.max': {
        const args = this.args(rawArgs, 0, 32, name);
        const isMin = name === 'Math.min';
        return (s) => {
          tick(s);
          let out = isMin ? Infinity : -Infinity;
          for (const arg of args) {
            const n = toNum(arg(s), s.budget);
            if (n !== n) return NaN;
            out = isMin ? Math.min(out, n) : Math.max(out, n);
          }
          return out;
        };
      }
      case 'Math.abs': {
        const [arg] = this.args(rawArgs, 1, 1, name);
        return (s) => (tick(s), Math.abs(toNum(arg(s), s.budget)));
      }
      case 'Math.round': {
        const [arg] = this.args(rawArgs, 1, 1, name);
        return (s) => (tick(s), Math.round(toNum(arg(s), s.budget)));
      }
      case 'Array.isArray': {
        const [arg] = this.args(rawArgs, 1, 1, name);
        return (s) => (tick(s), Array.isArray(arg(s)));
      }
      default: {
        // Date.parse: the only remaining whitelisted name.
        const [arg] = this.args(rawArgs, 1, 1, name);
        return (s) => {
          tick(s);
          const text = toStr(arg(s), s.budget);
          if (text.length > CHARS_PER_STEP) s.budget.chargeChars(text.length);
          return Date.parse(text);
        };
      }
    }
  }

  private plainMethod(name: string, object: Fn, optional: boolean, rawArgs: jsep.Expression[]): Fn {
    const noArgs = NO_ARG_METHODS.has(name);
    const args = noArgs ? this.args(rawArgs, 0, 0, `${name}()`) : this.args(rawArgs, 1, 2, `${name}()`);
    const onString = STRING_IMPLEMENTATIONS.get(name);
    const onArray = ARRAY_METHODS.has(name) ? (name === 'includes' ? arrayIncludes : arrayIndexOf) : undefined;
    const first = args.length > 0 ? args[0] : undefined;
    const second = args.length > 1 ? args[1] : undefined;
    return (s) => {
      tick(s);
      const target = object(s);
      if (optional && (target === null || target === undefined)) return undefined;
      const a = first === undefined ? undefined : first(s);
      const b = second === undefined ? undefined : second(s);
      if (onString !== undefined && typeof target === 'string') return onString(target, a, b, second !== undefined, s.budget);
      if (onArray !== undefined && Array.isArray(target)) return onArray(s, target, a, b, second !== undefined);
      throw new ConditionRuntimeError(`${name}() needs ${onArray && onString ? 'a string or an array' : onArray ? 'an array' : 'a string'}, got ${typeName(target)}`);
    };
  }

  /**
   * plainMethod() for the common shapes whose operands are all literals or parameters, with the
   * same steps in the same order: `["US", "CA"].includes(v)`, `s.startsWith("SKU-")`. Null for
   * anything else. Called after plainMethod(), which has validated the call.
   */
  private operandMethod(name: string, objectNode: jsep.Expression, optional: boolean, rawArgs: jsep.Expression[]): Fn | null {
    const args: Operand[] = [];
    for (const arg of rawArgs) {
      const operand = this.operand(arg);
      if (operand === null) return null;
      args.push(operand);
    }
    const constant = constantArray(objectNode);
    if (constant !== null && ARRAY_METHODS.has(name) && args.length === 1) {
      if (name === 'includes' && args[0].slot !== LITERAL) return onSlot(args[0].slot, valueTestFn({ kind: 'oneOf', literals: constant }));
      return constantArraySearch(name === 'includes', constant, args[0]);
    }
    const object = this.operand(objectNode);
    if (object === null) return null;
    const [only] = args;
    if ((name === 'startsWith' || name === 'endsWith') && !optional && object.slot !== LITERAL && args.length === 1) {
      if (only.slot === LITERAL && typeof only.value === 'string') {
        return onSlot(object.slot, valueTestFn({ kind: 'affix', starts: name === 'startsWith', text: only.value }));
      }
    }
    const onString = STRING_IMPLEMENTATIONS.get(name);
    const onArray = ARRAY_METHODS.has(name) ? (name === 'includes' ? arrayIncludes : arrayIndexOf) : undefined;
    const [first, second] = args;
    const hasSecond = second !== undefined;
    const mismatch = `${name}() needs ${onArray && onString ? 'a string or an array' : onArray ? 'an array' : 'a string'}, got `;
    const count = args.length;
    return (s) => {
      charge(s, 2); // the call and the target
      const target = object.slot === LITERAL ? object.value : s.vars[object.slot];
      if (optional && (target === null || target === undefined)) return undefined;
      if (count > 0) charge(s, count);
      const a = first === undefined ? undefined : first.slot === LITERAL ? first.value : s.vars[first.slot];
      const b = second === undefined ? undefined : second.slot === LITERAL ? second.value : s.vars[second.slot];
      if (onString !== undefined && typeof target === 'string') return onString(target, a, b, hasSecond, s.budget);
      if (onArray !== undefined && Array.isArray(target)) return onArray(s, target, a, b, hasSecond);
      throw new ConditionRuntimeError(`${mismatch}${typeName(target)}`);
    };
  }

  /**
   * One closure per method, with the callback's step, parameters and body inline in the loop:
   * the same steps as calling callback() for each item.
   */
  private callbackMethod(name: string, object: Fn, optional: boolean, rawArgs: jsep.Expression[]): Fn {
    if (rawArgs.length !== 1 || rawArgs[0].type !== 'ArrowFunctionExpression') {
      this.fail(`${name}() takes one arrow function, e.g. ${name}(x => x > 0)`);
    }
    const { body, itemSlot, indexSlot } = this.callback(rawArgs[0] as ArrowNode);
    const items = (s: Scope): readonly unknown[] | undefined => {
      tick(s);
      const target = object(s);
      if (optional && (target === null || target === undefined)) return undefined;
      if (!Array.isArray(target)) throw new ConditionRuntimeError(`${name}() needs an array, got ${typeName(target)}`);
      return target;
    };
    /** Binds the item (and index) for one iteration, after its step. */
    const bind = (s: Scope, item: unknown, index: number): void => {
      tick(s); // one step per iteration, on top of the body's own steps
      if (itemSlot >= 0) s.vars[itemSlot] = item;
      if (indexSlot >= 0) s.vars[indexSlot] = index;
    };
    switch (name) {
      case 'some':
        return (s) => {
          const list = items(s);
          if (list === undefined) return undefined;
          for (let i = 0; i < list.length; i++) {
            bind(s, list[i], i);
            if (body(s)) return true;
          }
          return false;
        };
      case 'every':
        return (s) => {
          const list = items(s);
          if (list === undefined) return undefined;
          for (let i = 0; i < list.length; i++) {
            bind(s, list[i], i);
            if (!body(s)) return false;
          }
          return true;
        };
      case 'find':
        return (s) => {
          const list = items(s);
          if (list === undefined) return undefined;
          for (let i = 0; i < list.length; i++) {
            bind(s, list[i], i);
            if (body(s)) return list[i];
          }
          return undefined;
        };
      case 'filter':
        return (s) => {
          const list = items(s);
          if (list === undefined) return undefined;
          const out: unknown[] = [];
          for (let i = 0; i < list.length; i++) {
            bind(s, list[i], i);
            if (body(s)) out.push(list[i]);
          }
          return out;
        };
      default:
        return (s) => {
          const list = items(s);
          if (list === undefined) return undefined;
          const out = new Array<unknown>(list.length);
          for (let i = 0; i < list.length; i++) {
            bind(s, list[i], i);
            out[i] = body(s);
          }
          return out;
        };
    }
  }

  /** Parameters get fresh slots: arrows never recurse, so one slot per parameter is enough. */
  private callback(arrow: ArrowNode): { body: Fn; itemSlot: number; indexSlot: number } {
    const names = this.params(arrow, 2);
    const slots = names.map(() => this.slotCount++);
    const body = this.withBindings(
      names.map((name, i) => [name, slots[i]] as const),
      () => this.expr(arrow.body),
    );
    return { body, itemSlot: slots.length > 0 ? slots[0] : -1, indexSlot: slots.length > 1 ? slots[1] : -1 };
  }
}

/**
 * A literal's value, strings internalized: V8 keeps one copy of each property key, and parsed
 * JSON holds its short strings the same way, so `v === "EUR"` against a payload string is then
 * usually a pointer comparison. Same value either way.
 */
function literalValue(node: jsep.Literal): unknown {
  const value: unknown = node.value;
  return typeof value === 'string' ? Object.keys({ [value]: 0 })[0] : value;
}

/** A ValueFn on the value in a scope slot, as a scope closure. */
function onSlot(slot: number, test: ValueFn): Fn {
  return (s) => test(s.vars[slot], s.budget);
}

/** The values of an all-literal array expression, as array() builds it; null otherwise. */
function constantArray(node: jsep.Expression): readonly unknown[] | null {
  if (node.type !== 'ArrayExpression') return null;
  const elements = (node as jsep.ArrayExpression).elements;
  if (!elements.every((element) => element !== null && element.type === 'Literal')) return null;
  return elements.map((element) => literalValue(element as jsep.Literal));
}

/**
 * `["US", "CA"].includes(v)` and indexOf: the call, the array (length + 1, as array() charges)
 * and the argument up front, then one step per element compared, counted after the search: the
 * comparisons cannot fail, so the total and the limit error are the same as one step at a time.
 */
function constantArraySearch(includes: boolean, constant: readonly unknown[], arg: Operand): Fn {
  const upFront = 1 + constant.length + 1 + 1;
  const n = constant.length;
  return (s) => {
    charge(s, upFront);
    const search = arg.slot === LITERAL ? arg.value : s.vars[arg.slot];
    let i = 0;
    if (includes) {
      while (i < n && !sameValueZero(constant[i], search)) i++;
    } else {
      while (i < n && constant[i] !== search) i++;
    }
    charge(s, i < n ? i + 1 : n);
    return includes ? i < n : i < n ? i : -1;
  };
}

/**
 * binary() for two operands (literals or parameters) and a comparison: the operator's step and
 * theirs at once, the values read inline. Null for the other operators (the short-circuit ones
 * may not evaluate their right side).
 */
function operandBinary(op: string, a: Operand, b: Operand): Fn | null {
  if (!COMPARISON_OPERATORS.has(op)) return null;
  const operator = op as ComparisonOperator;
  if ((a.slot === LITERAL) !== (b.slot === LITERAL)) {
    const valueFirst = b.slot === LITERAL;
    const literal = valueFirst ? b.value : a.value;
    return onSlot(valueFirst ? a.slot : b.slot, valueTestFn({ kind: 'compare', operator, literal, valueFirst }));
  }
  const holds = comparator(operator);
  const { slot: aSlot, value: aValue } = a;
  const { slot: bSlot, value: bValue } = b;
  return (s) => {
    charge(s, 3);
    return holds(aSlot === LITERAL ? aValue : s.vars[aSlot], bSlot === LITERAL ? bValue : s.vars[bSlot], s.budget);
  };
}

/** A compiled ValueTest or ConditionForm: the value in, the same result, steps and errors as run(). */
export type ValueFn = (value: unknown, budget: StepBudget) => unknown;

/** Long strings and coerced arrays charge the budget by their length, as in binary(). */
export type Comparator = (a: unknown, b: unknown, budget: StepBudget) => boolean;

const COMPARATORS: Readonly<Record<ComparisonOperator, Comparator>> = {
  '===': (a, b, budget) => strictEquals(a, b, budget),
  '!==': (a, b, budget) => !strictEquals(a, b, budget),
  '==': (a, b, budget) => looseEquals(a, b, budget),
  '!=': (a, b, budget) => !looseEquals(a, b, budget),
  '<': (a, b, budget) => (typeof a === 'number' && typeof b === 'number' ? a < b : compare('<', a, b, budget)),
  '<=': (a, b, budget) => (typeof a === 'number' && typeof b === 'number' ? a <= b : compare('<=', a, b, budget)),
  '>': (a, b, budget) => (typeof a === 'number' && typeof b === 'number' ? a > b : compare('>', a, b, budget)),
  '>=': (a, b, budget) => (typeof a === 'number' && typeof b === 'number' ? a >= b : compare('>=', a, b, budget)),
};

/** The operator's semantics (binary() with its operands evaluated). */
export function comparator(operator: ComparisonOperator): Comparator {
  return COMPARATORS[operator];
}

/** Where `literals.includes(search)` stops: the first SameValueZero match, or -1. */
export function literalIndex(literals: readonly unknown[], search: unknown): number {
  for (let i = 0; i < literals.length; i++) if (sameValueZero(literals[i], search)) return i;
  return -1;
}

/** The ConditionRuntimeError startsWith()/endsWith() throw for a value that is not a string. */
export function affixMismatch(starts: boolean, value: unknown): ConditionRuntimeError {
  return new ConditionRuntimeError(`${starts ? 'startsWith' : 'endsWith'}() needs a string, got ${typeName(value)}`);
}

export function valueTestFn(test: ValueTest): ValueFn {
  switch (test.kind) {
    case 'compare': {
      const { literal, valueFirst } = test;
      const holds = comparator(test.operator);
      return valueFirst
        ? (value, budget) => (budget.charge(3), holds(value, literal, budget))
        : (value, budget) => (budget.charge(3), holds(literal, value, budget));
    }
    case 'oneOf': {
      const { literals } = test;
      const upFront = literals.length + 3;
      return (value, budget) => {
        budget.charge(upFront);
        const at = literalIndex(literals, value);
        budget.charge(at < 0 ? literals.length : at + 1); // one per element compared
        return at >= 0;
      };
    }
    case 'affix': {
      const { starts, text } = test;
      return (value, budget) => {
        budget.charge(3);
        if (typeof value !== 'string') throw affixMismatch(starts, value);
        return starts ? value.startsWith(text) : value.endsWith(text);
      };
    }
  }
}

/** The ConditionRuntimeError some()/every() throw for a value that is not an array. */
function eachMismatch(every: boolean, value: unknown): ConditionRuntimeError {
  return new ConditionRuntimeError(`${every ? 'every' : 'some'}() needs an array, got ${typeName(value)}`);
}

export function conditionFormFn(form: ConditionForm): ValueFn {
  if (form.kind !== 'each') return valueTestFn(form);
  const item = valueTestFn(form.item);
  if (form.every) {
    return (value, budget) => {
      budget.charge(2); // the call and the value
      if (!Array.isArray(value)) throw eachMismatch(true, value);
      const list: readonly unknown[] = value;
      for (let i = 0; i < list.length; i++) {
        budget.charge(1); // the iteration
        if (!item(list[i], budget)) return false;
      }
      return true;
    };
  }
  return (value, budget) => {
    budget.charge(2);
    if (!Array.isArray(value)) throw eachMismatch(false, value);
    const list: readonly unknown[] = value;
    for (let i = 0; i < list.length; i++) {
      budget.charge(1);
      if (item(list[i], budget)) return true;
    }
    return false;
  };
}

type StringImplementation = (target: string, a: unknown, b: unknown, hasPosition: boolean, budget: StepBudget) => unknown;

/**
 * Every string method costs a step per 64 characters it scans or builds, charged before it runs
 * (its call already cost one step). Case mapping builds a new string: over maxStringLength
 * characters it is refused before it is built.
 */
function caseMapped(t: string, budget: StepBudget, upper: boolean): string {
  if (t.length > FilterLimits.maxStringLength) throwStringLimit();
  if (t.length > CHARS_PER_STEP) budget.chargeChars(t.length);
  const out = upper ? t.toUpperCase() : t.toLowerCase();
  // A few characters map to several ("ß" to "SS"): the result is checked too.
  if (out.length > FilterLimits.maxStringLength) throwStringLimit();
  return out;
}

function trimmed(t: string, budget: StepBudget): string {
  if (t.length > CHARS_PER_STEP) budget.chargeChars(t.length);
  return t.trim();
}

/** includes / indexOf scan the target for the search string. */
function searched(t: string, a: unknown, budget: StepBudget): string {
  const search = toStr(a, budget);
  if (t.length + search.length > CHARS_PER_STEP) budget.chargeChars(t.length + search.length);
  return search;
}

/** startsWith / endsWith compare the search string's length at most. */
function affix(a: unknown, budget: StepBudget): string {
  const search = toStr(a, budget);
  if (search.length > CHARS_PER_STEP) budget.chargeChars(search.length);
  return search;
}

const STRING_IMPLEMENTATIONS: ReadonlyMap<string, StringImplementation> = new Map<string, StringImplementation>([
  ['toLowerCase', (t, _a, _b, _p, budget) => caseMapped(t, budget, false)],
  ['toUpperCase', (t, _a, _b, _p, budget) => caseMapped(t, budget, true)],
  ['trim', (t, _a, _b, _p, budget) => trimmed(t, budget)],
  ['includes', (t, a, b, p, budget) => t.includes(searched(t, a, budget), p ? toNum(b, budget) : undefined)],
  ['startsWith', (t, a, b, p, budget) => t.startsWith(affix(a, budget), p ? toNum(b, budget) : undefined)],
  ['endsWith', (t, a, b, p, budget) => t.endsWith(affix(a, budget), p ? toNum(b, budget) : undefined)],
  ['indexOf', (t, a, b, p, budget) => t.indexOf(searched(t, a, budget), p ? toNum(b, budget) : undefined)],
]);

function startIndex(target: readonly unknown[], from: unknown, hasFrom: boolean, budget: StepBudget): number {
  let start = hasFrom ? Math.trunc(toNum(from, budget)) || 0 : 0;
  if (start < 0) start = Math.max(0, target.length + start);
  return start;
}

/** Loops rather than Array.prototype methods, so every comparison is a counted step. */
function arrayIncludes(s: Scope, target: readonly unknown[], search: unknown, from: unknown, hasFrom: boolean): boolean {
  for (let i = startIndex(target, from, hasFrom, s.budget); i < target.length; i++) {
    tick(s);
    if (sameValueZero(target[i], search)) return true;
  }
  return false;
}

function arrayIndexOf(s: Scope, target: readonly unknown[], search: unknown, from: unknown, hasFrom: boolean): number {
  for (let i = startIndex(target, from, hasFrom, s.budget); i < target.length; i++) {
    tick(s);
    if (target[i] === search) return i;
  }
  return -1;
}
