/**
 * Conditions: text → jsep AST (condition-parser.ts) → checked AST (condition-checker.ts) →
 * closures (condition-closures.ts). User text is never executed. A condition of one of the common
 * forms (condition-forms.ts) runs as that form, without a scope: same results, steps and errors.
 */
import { CheckedCondition } from './condition-ast';
import { checkCondition } from './condition-checker';
import { buildClosure } from './condition-closures';
import { ConditionForm, conditionFormFn, formOf } from './condition-forms';
import { parseCondition } from './condition-parser';
import { Scope } from './condition-scope';
import { StepBudget } from './step-budget';

export interface CompiledCondition {
  readonly source: string;
  /** Runs the condition on one value. Throws on a type mismatch or a limit: the caller decides. */
  run(value: unknown, budget: StepBudget): unknown;
  /** Set when the whole condition is one of the forms (fast-leaf.ts fuses some with their query). */
  readonly form?: ConditionForm;
}

/** Parses, checks and compiles; throws BadUserInputError(field, reason) for syntax and whitelist violations. */
export function compileCondition(source: unknown, field: string): CompiledCondition {
  const checked = checkCondition(parseCondition(source, field), field);
  const text = source as string;
  const form = formOf(checked);
  if (form !== null) return { source: text, form, run: conditionFormFn(form) };
  return { source: text, run: interpreted(checked) };
}

/** The condition on the interpreter, whatever its form: what every form must agree with. */
export function interpreted(checked: CheckedCondition): (value: unknown, budget: StepBudget) => unknown {
  const body = buildClosure(checked.body);
  // One scope per compiled condition, reused: evaluation is synchronous and a condition cannot
  // call itself, so runs never overlap. Cleared after each run so no payload stays referenced.
  const scope: Scope = { vars: new Array<unknown>(checked.slotCount).fill(undefined), budget: new StepBudget() };
  return (value, budget) => {
    const vars = scope.vars;
    scope.budget = budget;
    vars[0] = value;
    try {
      return body(scope);
    } finally {
      for (let i = 0; i < vars.length; i++) vars[i] = undefined;
    }
  };
}
