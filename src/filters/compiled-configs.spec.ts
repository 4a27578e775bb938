import { CompiledConfigs, FanoutConfig, FanoutProblem } from './compiled-configs';

const payload = { order: { id: 'ord_1', total: 150, email: 'a@example.com' } };

function config(overrides: Partial<FanoutConfig> = {}): FanoutConfig {
  return { id: 'cfg-1', endpointId: 'ep-1', filter: null, reducer: null, updatedAt: new Date(1_000), ...overrides };
}

describe('CompiledConfigs.decide', () => {
  let problems: FanoutProblem[];
  let configs: CompiledConfigs;

  beforeEach(() => {
    problems = [];
    configs = new CompiledConfigs((problem) => problems.push(problem));
  });

  it('delivers when the filter matches and drops the event when it does not', () => {
    const filter = { query: '$.order.total', condition: '(v) => v > 100' };
    expect(configs.decide(config({ filter }), payload)).toEqual({ deliver: true, data: payload });
    expect(configs.decide(config({ filter }), { order: { total: 80 } }).deliver).toBe(false);
  });

  it('delivers the reducer output, or the payload itself without a reducer', () => {
    expect(configs.decide(config({ reducer: { id: '$.order.id', kind: 'order' } }), payload)).toEqual({
      deliver: true,
      data: { id: 'ord_1', kind: 'order' },
    });
    const plain = configs.decide(config({ filter: { query: '$.order' } }), payload);
    expect(plain.data).toBe(payload);
  });

  it('compiles once per version and rebuilds when updatedAt moves, without being told', () => {
    const first = config({ filter: { query: '$.order.total', condition: 'v => v > 100' } });
    expect(configs.decide(first, payload).deliver).toBe(true);
    expect(configs.size).toEqual({ filters: 1, reducers: 0 });
    // Same id and version: the cached compilation answers even if the stored JSON were different.
    expect(
      configs.decide({ ...first, filter: { query: '$.order.total', condition: 'v => v > 1000' } }, payload).deliver,
    ).toBe(true);
    const edited = config({
      filter: { query: '$.order.total', condition: 'v => v > 1000' },
      updatedAt: new Date(1_001),
    });
    expect(configs.decide(edited, payload).deliver).toBe(false);
    expect(configs.size).toEqual({ filters: 1, reducers: 0 });
  });

  it('invalidate drops both compiled parts', () => {
    configs.decide(config({ filter: { query: '$.order' }, reducer: { id: '$.order.id' } }), payload);
    expect(configs.size).toEqual({ filters: 1, reducers: 1 });
    configs.invalidate('cfg-1');
    expect(configs.size).toEqual({ filters: 0, reducers: 0 });
  });

  it('delivers the original payload and reports it when the reducer output breaches 256 KiB', () => {
    const big = { text: 'x'.repeat(150_000) };
    const decision = configs.decide(config({ reducer: { a: '$.text', b: '$.text' } }), big);
    expect(decision).toEqual({ deliver: true, data: big });
    expect(problems).toEqual([
      {
        configId: 'cfg-1',
        endpointId: 'ep-1',
        part: 'reducer',
        reason: expect.stringMatching(/output is larger than 262144/),
        outcome: 'delivered the original payload',
      },
    ]);
  });

  it('delivers the original payload and reports it when a stored filter no longer compiles', () => {
    const decision = configs.decide(config({ filter: { query: '$[', condition: 'v => v' } }), payload);
    expect(decision).toEqual({ deliver: true, data: payload });
    expect(problems).toEqual([
      {
        configId: 'cfg-1',
        endpointId: 'ep-1',
        part: 'filter',
        reason: expect.stringMatching(/invalid JSONPath/),
        outcome: 'delivered the original payload',
      },
    ]);
  });

  it('a condition that fails at run time only makes its leaf false', () => {
    const filter = { query: '$.order.total', condition: 'v => v.startsWith("1")' };
    expect(configs.decide(config({ filter }), payload).deliver).toBe(false);
    expect(problems).toEqual([]);
  });

  it.each([
    ['a condition whose steps run out', { query: '$.items', condition: 'v => v.some(a => v.some(b => a + b < 0))' }],
    [
      'a query that visits too many nodes',
      {
        logic: 'AND',
        conditions: [{ query: '$..*' }, { query: '$..*' }, { query: '$..*' }, { query: '$..*' }, { query: '$..*' }],
      },
    ],
    ['a query that produces too many nodes', { query: '$.items[*]', condition: 'v => v.length < 0' }],
    ['a descendant query that produces too many nodes', { query: '$..*', condition: 'v => v.length < 0' }],
    [
      'string work over the budget',
      { query: '$.items', condition: 'v => v.every(x => x.toUpperCase().includes("ZZZ") || true) && false' },
    ],
  ])('a filter with %s is not delivered, and the limit is reported', (_label, filter) => {
    const items = Array.from({ length: 60_000 }, (_, i) => `item-${i}-${'y'.repeat(i % 50)}`);
    const decision = configs.decide(config({ filter }), { items });
    expect(decision.deliver).toBe(false);
    expect(problems).toEqual([
      {
        configId: 'cfg-1',
        endpointId: 'ep-1',
        part: 'filter',
        reason: expect.stringMatching(/limit/),
        outcome: 'not delivered',
      },
    ]);
  });

  it('control: a filter that is simply false on a big payload reports nothing', () => {
    const items = Array.from({ length: 60_000 }, (_, i) => `item-${i}`);
    expect(
      configs.decide(config({ filter: { query: '$.items[0]', condition: 'v => v === "nope"' } }), { items }).deliver,
    ).toBe(false);
    expect(problems).toEqual([]);
  });
});
