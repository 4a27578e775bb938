import { findTooDeepVariable, MAX_VARIABLES_DEPTH, tooDeepVariable } from './variables-depth.plugin';

function nestedObjects(levels: number): unknown {
  let v: unknown = { query: '$.a' };
  for (let i = 0; i < levels; i += 1) v = { logic: 'AND', conditions: [v] };
  return v;
}
function nestedLists(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i += 1) v = [v];
  return v;
}

describe('findTooDeepVariable', () => {
  it.each([
    [
      'a filter tree 10,000 deep (objects and lists)',
      { input: { filter: nestedObjects(10_000) } },
      'input',
      /^input\.filter\.conditions\.0\.conditions…$/,
    ],
    ['lists 100,000 deep', { ids: nestedLists(100_000) }, 'ids', /^ids\.0\.0\.0\.0…$/],
    ['one level over the limit', { x: nestedLists(MAX_VARIABLES_DEPTH + 1) }, 'x', /^x/],
  ])('finds %s', (_label, variables, variable, at) => {
    const found = findTooDeepVariable(variables);
    expect(found?.variable).toBe(variable);
    expect(found?.at).toMatch(at);
    expect(tooDeepVariable(variables)).toBe(variable);
  });

  it('lets ordinary and limit-deep variables through (positive control)', () => {
    expect(findTooDeepVariable({ input: { url: 'https://x', metadata: { a: [1, { b: 2 }] } }, first: 10 })).toBeNull();
    expect(findTooDeepVariable({ x: nestedLists(MAX_VARIABLES_DEPTH) })).toBeNull();
    expect(findTooDeepVariable(undefined)).toBeNull();
  });
});
