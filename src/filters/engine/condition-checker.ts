/**
 * jsep's AST to a CheckedCondition. User text is never executed: every operator, method and global
 * must be on the whitelist, and anything else is refused here, at compile time, with
 * ConditionNotAllowedError(field, reason). The checks run in source order, so the first fault is named.
 */
import type jsep from 'jsep';
import {
  ARRAY_METHODS,
  BINARY_OPERATORS,
  BinaryOperator,
  CALLBACK_METHODS,
  CONSTANTS,
  GLOBAL_ARITY,
  GLOBAL_FUNCTIONS,
  GLOBAL_NAMESPACES,
  KEYWORDS,
  CallbackMethod,
  CheckedCondition,
  CheckedNode,
  GlobalFunction,
  LiteralValue,
  NO_ARG_METHODS,
  STRING_METHODS,
  StringMethod,
  UNARY_OPERATORS,
  UnaryOperator,
} from './condition-ast';
import { ConditionAst, isAstNode } from './condition-parser';
import { ConditionNotAllowedError } from './filter-engine.errors';
import { DENIED_PROPERTIES } from './safe-values';

interface ArrowNode extends jsep.Expression {
  type: 'ArrowFunctionExpression';
  params: jsep.Expression[] | null;
  body: jsep.Expression;
}

const ALLOWED_OPERATORS = 'allowed operators: == === != !== < <= > >= + - * / % && || ! ?? and a ? b : c';
const ALLOWED_FUNCTIONS =
  'allowed functions: Number, String, Boolean, Math.min, Math.max, Math.abs, Math.round, Array.isArray, Date.parse';
const ALLOWED_METHODS =
  'allowed methods: includes, startsWith, endsWith, toLowerCase, toUpperCase, trim, indexOf (strings); ' +
  'includes, indexOf, some, every, filter, map, find (arrays); and the length property';

/** Checks the parsed condition: an arrow of one parameter, or a bare expression on `value` (or `v`). */
export function checkCondition(ast: ConditionAst, field: string): CheckedCondition {
  const checker = new Checker(field);
  if (ast.type === 'ArrowFunctionExpression') {
    const arrow = ast as ArrowNode;
    const bindings = checker.params(arrow, 1).map((name) => [name, 0] as const);
    const body = checker.withBindings(bindings, () => checker.expr(arrow.body));
    return { body, slotCount: checker.slotCount };
  }
  const body = checker.withBindings(
    [
      ['value', 0],
      ['v', 0],
    ],
    () => checker.expr(ast),
  );
  return { body, slotCount: checker.slotCount };
}

class Checker {
  slotCount = 1;
  private readonly scopes: Array<ReadonlyMap<string, number>> = [];

  constructor(private readonly field: string) {}

  fail(reason: string): never {
    throw new ConditionNotAllowedError(this.field, reason);
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
      this.fail(
        max === 1
          ? 'a condition takes one parameter, the extracted value'
          : `a callback takes at most ${max} parameters`,
      );
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

  expr(node: ConditionAst): CheckedNode {
    switch (node.type) {
      case 'Literal':
        return this.literal(node as jsep.Literal);
      case 'Identifier':
        return this.identifier((node as jsep.Identifier).name);
      case 'ThisExpression':
        return this.fail('"this" is not allowed');
      case 'ArrayExpression':
        return this.array(node as jsep.ArrayExpression);
      case 'UnaryExpression': {
        const { operator, argument } = node as jsep.UnaryExpression;
        if (!UNARY_OPERATORS.has(operator)) this.fail(`operator "${operator}" is not supported; ${ALLOWED_OPERATORS}`);
        return { kind: 'unary', operator: operator as UnaryOperator, argument: this.expr(argument) };
      }
      case 'BinaryExpression':
        return this.binary(node as jsep.BinaryExpression);
      case 'ConditionalExpression': {
        const { test, consequent, alternate } = node as jsep.ConditionalExpression;
        return {
          kind: 'conditional',
          test: this.expr(test),
          consequent: this.expr(consequent),
          alternate: this.expr(alternate),
        };
      }
      case 'MemberExpression':
        return this.member(node as jsep.MemberExpression);
      case 'CallExpression':
        return this.call(node as jsep.CallExpression);
      case 'ArrowFunctionExpression':
        return this.fail(
          'arrow functions are only allowed as the whole condition or as the callback of some, every, filter, map or find',
        );
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

  private literal(node: jsep.Literal): CheckedNode {
    const value = literalValue(node);
    if (value instanceof RegExp) this.fail('regular expressions are not supported');
    if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      this.fail('unsupported literal');
    }
    return { kind: 'literal', value: value as LiteralValue };
  }

  private identifier(name: string): CheckedNode {
    const slot = this.lookup(name);
    if (slot !== undefined) return { kind: 'param', slot };
    if (CONSTANTS.has(name)) return { kind: 'literal', value: CONSTANTS.get(name) };
    if (GLOBAL_FUNCTIONS.has(name) || GLOBAL_NAMESPACES.has(name)) {
      const example =
        name === 'Math'
          ? 'Math.max(a, b)'
          : name === 'Array'
            ? 'Array.isArray(x)'
            : name === 'Date'
              ? 'Date.parse(s)'
              : `${name}(x)`;
      this.fail(`${name} can only be called (e.g. ${example})`);
    }
    if (KEYWORDS.has(name)) this.fail(`"${name}" is not supported`);
    return this.fail(`identifier "${name}" is not allowed; only the parameter and whitelisted functions can be used`);
  }

  private array(node: jsep.ArrayExpression): CheckedNode {
    const items = node.elements.map((element) => {
      if (element === null) this.fail('array holes are not supported');
      return this.expr(element);
    });
    return { kind: 'array', items };
  }

  private binary(node: jsep.BinaryExpression): CheckedNode {
    const op = node.operator;
    if (op === '=>') return this.fail('arrow functions are only allowed as the whole condition or as a callback');
    if (!BINARY_OPERATORS.has(op)) this.fail(`operator "${op}" is not supported; ${ALLOWED_OPERATORS}`);
    const left = this.expr(node.left);
    return { kind: 'binary', operator: op as BinaryOperator, left, right: this.expr(node.right) };
  }

  /** Static names are checked here; computed keys at run time by checkComputedKey. */
  private member(node: jsep.MemberExpression): CheckedNode {
    const optional = node.optional === true;
    const object = this.expr(node.object);
    if (!node.computed) return { kind: 'member', object, name: this.staticName(node), optional };
    const property = node.property;
    if (property.type === 'Literal') {
      const key: unknown = (property as jsep.Literal).value;
      if (typeof key === 'string' && DENIED_PROPERTIES.has(key)) this.fail(`property "${key}" is not allowed`);
    }
    return { kind: 'computed', object, key: this.expr(property), optional };
  }

  private staticName(node: jsep.MemberExpression): string {
    if (node.property.type !== 'Identifier') this.fail('unsupported property access');
    const name = (node.property as jsep.Identifier).name;
    if (DENIED_PROPERTIES.has(name)) this.fail(`property "${name}" is not allowed`);
    return name;
  }

  private call(node: jsep.CallExpression): CheckedNode {
    const callee = node.callee;
    if (callee.type === 'Identifier') {
      const name = (callee as jsep.Identifier).name;
      const bound = this.lookup(name) !== undefined;
      if (!bound && GLOBAL_FUNCTIONS.has(name)) return this.global(name as GlobalFunction, node.arguments);
      if (bound) this.fail(`"${name}" is a value, not a function`);
      if (KEYWORDS.has(name)) this.fail(`"${name}" is not supported`);
      return this.fail(`calling "${name}" is not allowed; ${ALLOWED_FUNCTIONS}`);
    }
    if (callee.type !== 'MemberExpression') {
      // Checking the callee first reports the precise fault (e.g. a denied property) if there is one.
      this.expr(callee);
      return this.fail(
        `only whitelisted functions and methods can be called, not the result of an expression; ${ALLOWED_FUNCTIONS}`,
      );
    }
    const member = callee as jsep.MemberExpression;
    if (member.object.type === 'Identifier') {
      const namespace = (member.object as jsep.Identifier).name;
      const allowed = GLOBAL_NAMESPACES.get(namespace);
      if (allowed && this.lookup(namespace) === undefined) {
        const name = member.computed ? '[…]' : this.staticName(member);
        if (!allowed.has(name)) this.fail(`${namespace}.${name} is not allowed; ${ALLOWED_FUNCTIONS}`);
        return this.global(`${namespace}.${name}` as GlobalFunction, node.arguments);
      }
    }
    const object = this.expr(member.object);
    if (member.computed) return this.fail('methods must be called by name (v.includes(x)), not by computed key');
    const name = this.staticName(member);
    const optional = member.optional === true;
    if (CALLBACK_METHODS.has(name)) return this.callback(name as CallbackMethod, object, optional, node.arguments);
    if (STRING_METHODS.has(name) || ARRAY_METHODS.has(name)) {
      const args = NO_ARG_METHODS.has(name)
        ? this.args(node.arguments, 0, 0, `${name}()`)
        : this.args(node.arguments, 1, 2, `${name}()`);
      return { kind: 'method', name: name as StringMethod, object, args, optional };
    }
    return this.fail(`method "${name}" is not allowed; ${ALLOWED_METHODS}`);
  }

  private args(args: jsep.Expression[], min: number, max: number, what: string): CheckedNode[] {
    if (args.length < min || args.length > max) {
      this.fail(
        min === max
          ? `${what} takes ${min} argument${min === 1 ? '' : 's'}`
          : `${what} takes ${min} to ${max} arguments`,
      );
    }
    return args.map((arg) => this.expr(arg));
  }

  private global(name: GlobalFunction, rawArgs: jsep.Expression[]): CheckedNode {
    const [min, max] = GLOBAL_ARITY[name];
    return { kind: 'global', name, args: this.args(rawArgs, min, max, name) };
  }

  /** Parameters get fresh slots: arrows never recurse, so one slot per parameter is enough. */
  private callback(
    name: CallbackMethod,
    object: CheckedNode,
    optional: boolean,
    rawArgs: jsep.Expression[],
  ): CheckedNode {
    if (rawArgs.length !== 1 || rawArgs[0].type !== 'ArrowFunctionExpression') {
      this.fail(`${name}() takes one arrow function, e.g. ${name}(x => x > 0)`);
    }
    const arrow = rawArgs[0] as ArrowNode;
    const names = this.params(arrow, 2);
    const slots = names.map(() => this.slotCount++);
    const body = this.withBindings(
      names.map((param, i) => [param, slots[i]] as const),
      () => this.expr(arrow.body),
    );
    const itemSlot = slots.length > 0 ? slots[0] : -1;
    return { kind: 'callback', name, object, optional, itemSlot, indexSlot: slots.length > 1 ? slots[1] : -1, body };
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
