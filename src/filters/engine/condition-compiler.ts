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
  toStr,
  typeName,
} from './safe-values';
import { StepBudget, throwStepLimit } from './step-budget';

export interface CompiledCondition {
  readonly source: string;
  /** Runs the condition on one value. Throws on a type mismatch or a limit: the caller decides. */
  run(value: unknown, budget: StepBudget): unknown;
}

interface Scope {
  readonly vars: unknown[];
  budget: StepBudget;
}

type Fn = (scope: Scope) => unknown;
type Callback = (scope: Scope, item: unknown, index: number) => unknown;

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
  let body: Fn;
  if (ast.type === 'ArrowFunctionExpression') {
    const arrow = ast as ArrowNode;
    const params = compiler.params(arrow, 1);
    body = compiler.withBindings(params.map((name) => [name, 0] as const), () => compiler.expr(arrow.body));
  } else {
    // A bare expression names the value `value` (or `v`).
    body = compiler.withBindings([['value', 0], ['v', 0]], () => compiler.expr(ast));
  }
  // One scope per compiled condition, reused: evaluation is synchronous and a condition cannot
  // call itself, so runs never overlap. Cleared after each run so no payload stays referenced.
  const scope: Scope = { vars: new Array<unknown>(compiler.slotCount).fill(undefined), budget: new StepBudget() };
  return {
    source: text,
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
  if (++budget.steps > budget.limit) throwStepLimit(budget.limit);
};

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
    const value: unknown = node.value;
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
      const constant = Object.freeze(node.elements.map((element) => (element as jsep.Literal).value));
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
          return -toNum(arg(scope));
        };
      default:
        return (scope) => {
          tick(scope);
          return toNum(arg(scope));
        };
    }
  }

  private binary(node: jsep.BinaryExpression): Fn {
    const op = node.operator;
    if (op === '=>') return this.fail('arrow functions are only allowed as the whole condition or as a callback');
    if (!BINARY_OPERATORS.has(op)) this.fail(`operator "${op}" is not supported; ${ALLOWED_OPERATORS}`);
    const left = this.expr(node.left);
    const right = this.expr(node.right);
    switch (op) {
      case '&&':
        return (s) => (tick(s), left(s) && right(s));
      case '||':
        return (s) => (tick(s), left(s) || right(s));
      case '??':
        return (s) => (tick(s), left(s) ?? right(s));
      case '===':
        return (s) => (tick(s), left(s) === right(s));
      case '!==':
        return (s) => (tick(s), left(s) !== right(s));
      case '==':
        return (s) => (tick(s), looseEquals(left(s), right(s)));
      case '!=':
        return (s) => (tick(s), !looseEquals(left(s), right(s)));
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
          return compare(op, a, b);
        };
      case '+':
        return (s) => (tick(s), add(left(s), right(s)));
      case '-':
        return (s) => (tick(s), toNum(left(s)) - toNum(right(s)));
      case '*':
        return (s) => (tick(s), toNum(left(s)) * toNum(right(s)));
      case '/':
        return (s) => (tick(s), toNum(left(s)) / toNum(right(s)));
      default:
        return (s) => (tick(s), toNum(left(s)) % toNum(right(s)));
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
      return this.plainMethod(name, object, member.optional === true, node.arguments);
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
        return (s) => (tick(s), arg ? toNum(arg(s)) : 0);
      }
      case 'String': {
        const [arg] = this.args(rawArgs, 0, 1, name);
        return (s) => (tick(s), arg ? toStr(arg(s)) : '');
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
            const n = toNum(arg(s));
            if (n !== n) return NaN;
            out = isMin ? Math.min(out, n) : Math.max(out, n);
          }
          return out;
        };
      }
      case 'Math.abs': {
        const [arg] = this.args(rawArgs, 1, 1, name);
        return (s) => (tick(s), Math.abs(toNum(arg(s))));
      }
      case 'Math.round': {
        const [arg] = this.args(rawArgs, 1, 1, name);
        return (s) => (tick(s), Math.round(toNum(arg(s))));
      }
      case 'Array.isArray': {
        const [arg] = this.args(rawArgs, 1, 1, name);
        return (s) => (tick(s), Array.isArray(arg(s)));
      }
      default: {
        // Date.parse: the only remaining whitelisted name.
        const [arg] = this.args(rawArgs, 1, 1, name);
        return (s) => (tick(s), Date.parse(toStr(arg(s))));
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
      if (onString !== undefined && typeof target === 'string') return onString(target, a, b, second !== undefined);
      if (onArray !== undefined && Array.isArray(target)) return onArray(s, target, a, b, second !== undefined);
      throw new ConditionRuntimeError(`${name}() needs ${onArray && onString ? 'a string or an array' : onArray ? 'an array' : 'a string'}, got ${typeName(target)}`);
    };
  }

  private callbackMethod(name: string, object: Fn, optional: boolean, rawArgs: jsep.Expression[]): Fn {
    if (rawArgs.length !== 1 || rawArgs[0].type !== 'ArrowFunctionExpression') {
      this.fail(`${name}() takes one arrow function, e.g. ${name}(x => x > 0)`);
    }
    const callback = this.callback(rawArgs[0] as ArrowNode);
    return (s) => {
      tick(s);
      const target = object(s);
      if (optional && (target === null || target === undefined)) return undefined;
      if (!Array.isArray(target)) throw new ConditionRuntimeError(`${name}() needs an array, got ${typeName(target)}`);
      const items: readonly unknown[] = target;
      switch (name) {
        case 'some':
          for (let i = 0; i < items.length; i++) if (callback(s, items[i], i)) return true;
          return false;
        case 'every':
          for (let i = 0; i < items.length; i++) if (!callback(s, items[i], i)) return false;
          return true;
        case 'find':
          for (let i = 0; i < items.length; i++) if (callback(s, items[i], i)) return items[i];
          return undefined;
        case 'filter': {
          const out: unknown[] = [];
          for (let i = 0; i < items.length; i++) if (callback(s, items[i], i)) out.push(items[i]);
          return out;
        }
        default: {
          const out = new Array<unknown>(items.length);
          for (let i = 0; i < items.length; i++) out[i] = callback(s, items[i], i);
          return out;
        }
      }
    };
  }

  /** Parameters get fresh slots: arrows never recurse, so one slot per parameter is enough. */
  private callback(arrow: ArrowNode): Callback {
    const names = this.params(arrow, 2);
    const slots = names.map(() => this.slotCount++);
    const body = this.withBindings(
      names.map((name, i) => [name, slots[i]] as const),
      () => this.expr(arrow.body),
    );
    const itemSlot = slots.length > 0 ? slots[0] : -1;
    const indexSlot = slots.length > 1 ? slots[1] : -1;
    return (s, item, index) => {
      tick(s); // one step per iteration, on top of the body's own steps
      if (itemSlot >= 0) s.vars[itemSlot] = item;
      if (indexSlot >= 0) s.vars[indexSlot] = index;
      return body(s);
    };
  }
}

type StringImplementation = (target: string, a: unknown, b: unknown, hasPosition: boolean) => unknown;

const STRING_IMPLEMENTATIONS: ReadonlyMap<string, StringImplementation> = new Map<string, StringImplementation>([
  ['toLowerCase', (t) => t.toLowerCase()],
  ['toUpperCase', (t) => t.toUpperCase()],
  ['trim', (t) => t.trim()],
  ['includes', (t, a, b, p) => t.includes(toStr(a), p ? toNum(b) : undefined)],
  ['startsWith', (t, a, b, p) => t.startsWith(toStr(a), p ? toNum(b) : undefined)],
  ['endsWith', (t, a, b, p) => t.endsWith(toStr(a), p ? toNum(b) : undefined)],
  ['indexOf', (t, a, b, p) => t.indexOf(toStr(a), p ? toNum(b) : undefined)],
]);

function startIndex(target: readonly unknown[], from: unknown, hasFrom: boolean): number {
  let start = hasFrom ? Math.trunc(toNum(from)) || 0 : 0;
  if (start < 0) start = Math.max(0, target.length + start);
  return start;
}

/** Loops rather than Array.prototype methods, so every comparison is a counted step. */
function arrayIncludes(s: Scope, target: readonly unknown[], search: unknown, from: unknown, hasFrom: boolean): boolean {
  for (let i = startIndex(target, from, hasFrom); i < target.length; i++) {
    tick(s);
    if (sameValueZero(target[i], search)) return true;
  }
  return false;
}

function arrayIndexOf(s: Scope, target: readonly unknown[], search: unknown, from: unknown, hasFrom: boolean): number {
  for (let i = startIndex(target, from, hasFrom); i < target.length; i++) {
    tick(s);
    if (target[i] === search) return i;
  }
  return -1;
}
