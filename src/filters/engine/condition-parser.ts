/**
 * Turns condition text into a jsep AST, rejecting what jsep would misread or not explain well
 * (regex and template literals, blocks, assignment) with the character position.
 */
import jsep from 'jsep';
import jsepArrow from '@jsep-plugin/arrow';
import { ConditionNotAllowedError, ConditionSyntaxError, FilterLimitError } from './filter-engine.errors';
import { FilterLimits } from './limits';

jsep.plugins.register(jsepArrow);

export type ConditionAst = jsep.Expression;

export function parseCondition(source: unknown, field: string): ConditionAst {
  if (typeof source !== 'string') throw new ConditionSyntaxError(field, 'must be a string');
  if (source.length > FilterLimits.maxConditionLength) {
    throw new FilterLimitError(
      field,
      `is ${source.length} characters long; the limit is ${FilterLimits.maxConditionLength}`,
      FilterLimits.maxConditionLength,
    );
  }
  if (source.trim() === '') throw new ConditionSyntaxError(field, 'must not be empty');
  prescan(source, field);
  let ast: ConditionAst;
  try {
    ast = jsep(source);
  } catch (error) {
    throw new ConditionSyntaxError(field, describeParseError(error), { position: parsePosition(error) });
  }
  checkAstDepth(ast, field);
  return ast;
}

function parsePosition(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'index' in error && typeof error.index === 'number') {
    return error.index;
  }
  return undefined;
}

function describeParseError(error: unknown): string {
  const position = parsePosition(error);
  let description = 'syntax error';
  if (typeof error === 'object' && error !== null && 'description' in error && typeof error.description === 'string') {
    description = error.description;
  } else if (error instanceof Error) {
    description = error.message;
  }
  return position === undefined ? `parse error: ${description}` : `parse error at position ${position}: ${description}`;
}

function rejection(field: string, position: number, what: string): ConditionNotAllowedError {
  return new ConditionNotAllowedError(field, `${what} (at position ${position})`, { position });
}

const isIdentChar = (ch: string): boolean => /[\w$]/.test(ch) || ch.charCodeAt(0) > 127;

/** One pass over the text, outside string literals. Also bounds bracket depth before jsep recurses. */
function prescan(source: string, field: string): void {
  let depth = 0;
  let expectOperand = true;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '"' || ch === "'") {
      i = skipString(source, i);
      expectOperand = false;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') continue;
    const next = source[i + 1] ?? '';
    const prev = i > 0 ? source[i - 1] : '';
    switch (ch) {
      case '`':
        throw rejection(field, i, 'template literals are not supported');
      case '{':
      case '}':
        throw rejection(
          field,
          i,
          'blocks, statements and object literals are not supported; write a single expression',
        );
      case ';':
        throw rejection(field, i, 'statements are not supported; write a single expression');
      case '/':
        if (next === '/' || next === '*') throw rejection(field, i, 'comments are not supported');
        if (expectOperand)
          throw rejection(field, i, 'regular expressions are not supported; use includes, startsWith or endsWith');
        break;
      case '.':
        if (next === '.' && source[i + 2] === '.') throw rejection(field, i, 'spread syntax is not supported');
        break;
      case '=':
        if (!'=!<>'.includes(prev) && next !== '=' && next !== '>')
          throw rejection(field, i, 'assignment is not supported');
        break;
      case '+':
      case '-':
        if (next === ch) throw rejection(field, i, 'increment and decrement are not supported');
        break;
      case '(':
      case '[':
        depth++;
        if (depth > FilterLimits.maxConditionDepth) {
          throw new FilterLimitError(
            field,
            `brackets are nested deeper than ${FilterLimits.maxConditionDepth} levels (at position ${i})`,
            FilterLimits.maxConditionDepth,
          );
        }
        break;
      case ')':
      case ']':
        depth--;
        break;
    }
    if (ch === '=' && next === '>') {
      i++;
      expectOperand = true;
    } else {
      expectOperand = !(isIdentChar(ch) || ch === ')' || ch === ']');
    }
  }
}

function skipString(source: string, start: number): number {
  const quote = source[start];
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === quote) return i;
  }
  return source.length; // unclosed: jsep reports it with its position
}

/** Iterative, so a deep unary chain (`- - - - v`) is refused without recursing. */
function checkAstDepth(ast: ConditionAst, field: string): void {
  const stack: Array<[unknown, number]> = [[ast, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > FilterLimits.maxConditionDepth) {
      throw new FilterLimitError(
        field,
        `expression is nested deeper than ${FilterLimits.maxConditionDepth} levels`,
        FilterLimits.maxConditionDepth,
      );
    }
    if (typeof node !== 'object' || node === null) continue;
    for (const child of Object.values(node)) {
      if (Array.isArray(child)) {
        for (const item of child) if (isAstNode(item)) stack.push([item, depth + 1]);
      } else if (isAstNode(child)) {
        stack.push([child, depth + 1]);
      }
    }
  }
}

export function isAstNode(value: unknown): value is ConditionAst {
  return typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string';
}
