/** Operators: one definition of each, shared by the interpreter and the fused forms. */
import { BinaryOperator, ComparisonOperator, UnaryOperator } from './condition-ast';
import { Fn, tick } from './condition-scope';
import { add, compare, looseEquals, strictEquals, toNum } from './safe-values';
import { StepBudget } from './step-budget';

/** A comparison on evaluated operands; long strings and coerced arrays charge the budget by their length. */
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

export function comparator(operator: ComparisonOperator): Comparator {
  return COMPARATORS[operator];
}

export function isComparison(operator: BinaryOperator): operator is ComparisonOperator {
  return Object.hasOwn(COMPARATORS, operator);
}

export function unaryFn(operator: UnaryOperator, arg: Fn): Fn {
  switch (operator) {
    case '!':
      return (s) => (tick(s), !arg(s));
    case '-':
      return (s) => (tick(s), -toNum(arg(s), s.budget));
    default:
      return (s) => (tick(s), toNum(arg(s), s.budget));
  }
}

/** The operator's step, then its operands left to right; && || ?? evaluate the right one only when JS would. */
export function binaryFn(operator: BinaryOperator, left: Fn, right: Fn): Fn {
  if (isComparison(operator)) {
    const holds = comparator(operator);
    return (s) => (tick(s), holds(left(s), right(s), s.budget));
  }
  switch (operator) {
    case '&&':
      return (s) => (tick(s), left(s) && right(s));
    case '||':
      return (s) => (tick(s), left(s) || right(s));
    case '??':
      return (s) => (tick(s), left(s) ?? right(s));
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
