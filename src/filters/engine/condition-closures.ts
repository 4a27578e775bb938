/**
 * The interpreter: a CheckedNode to a closure. Every node costs STEP_COST.node, charged before its
 * operands run; the semantics of operators, property reads and calls live in the modules below.
 */
import { CheckedNode } from './condition-ast';
import { callbackFn, globalFn, methodFn } from './condition-calls';
import { computedFn, memberFn } from './condition-members';
import { binaryFn, unaryFn } from './condition-operators';
import { Fn, tick } from './condition-scope';
import { literalArraySteps } from './step-costs';

/** Recursion is bounded: the parser refused conditions nested deeper than maxConditionDepth. */
export function buildClosure(node: CheckedNode): Fn {
  switch (node.kind) {
    case 'literal': {
      const { value } = node;
      return (s) => (tick(s), value);
    }
    case 'param': {
      const { slot } = node;
      return (s) => (tick(s), s.vars[slot]);
    }
    case 'array':
      return arrayFn(node.items);
    case 'unary':
      return unaryFn(node.operator, buildClosure(node.argument));
    case 'binary':
      return binaryFn(node.operator, buildClosure(node.left), buildClosure(node.right));
    case 'conditional': {
      const test = buildClosure(node.test);
      const consequent = buildClosure(node.consequent);
      const alternate = buildClosure(node.alternate);
      return (s) => (tick(s), test(s) ? consequent(s) : alternate(s));
    }
    case 'member':
      return memberFn(buildClosure(node.object), node.name, node.optional);
    case 'computed':
      return computedFn(buildClosure(node.object), buildClosure(node.key), node.optional);
    case 'global':
      return globalFn(node.name, node.args.map(buildClosure));
    case 'method':
      return methodFn(node.name, buildClosure(node.object), node.args.map(buildClosure), node.optional);
    case 'callback':
      return callbackFn(
        node.name,
        buildClosure(node.object),
        node.optional,
        node.itemSlot,
        node.indexSlot,
        buildClosure(node.body),
      );
  }
}

/** The values of an all-literal array node, as arrayFn() returns them; null for any other node. */
export function literalArray(node: CheckedNode): readonly unknown[] | null {
  if (node.kind !== 'array') return null;
  const values: unknown[] = [];
  for (const item of node.items) {
    if (item.kind !== 'literal') return null;
    values.push(item.value);
  }
  return values;
}

function arrayFn(nodes: readonly CheckedNode[]): Fn {
  const constant = literalArray({ kind: 'array', items: nodes });
  if (constant !== null) {
    // ["US", "CA"] is built once (its steps are the same); frozen, as every run returns that instance.
    const frozen = Object.freeze(constant);
    const cost = literalArraySteps(frozen.length);
    return (s) => (s.budget.charge(cost), frozen);
  }
  const items = nodes.map(buildClosure);
  return (s) => {
    tick(s);
    const out = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) out[i] = items[i](s);
    return out;
  };
}
