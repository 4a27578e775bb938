import { CompiledCache, CompiledFilterCache } from './compiled-cache';
import { compileFilter } from './filter';

describe('CompiledCache', () => {
  it('builds once per key and version', () => {
    const cache = new CompiledCache<string>();
    const build = jest.fn(() => 'compiled');
    expect(cache.get('cfg-1', 'v1', build)).toBe('compiled');
    expect(cache.get('cfg-1', 'v1', build)).toBe('compiled');
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('rebuilds when the version changes, keeping one entry per key', () => {
    const cache = new CompiledCache<string>();
    cache.get('cfg-1', 'v1', () => 'old');
    expect(cache.get('cfg-1', 'v2', () => 'new')).toBe('new');
    expect(cache.get('cfg-1', 'v2', () => 'unused')).toBe('new');
    expect(cache.size).toBe(1);
  });

  it('rebuilds after invalidate', () => {
    const cache = new CompiledCache<string>();
    cache.get('cfg-1', 'v1', () => 'first');
    cache.invalidate('cfg-1');
    expect(cache.get('cfg-1', 'v1', () => 'second')).toBe('second');
  });

  it('evicts the least recently used entry past the maximum', () => {
    const cache = new CompiledCache<string>(2);
    cache.get('a', '1', () => 'A');
    cache.get('b', '1', () => 'B');
    cache.get('a', '1', () => 'unused'); // a is now the most recent
    cache.get('c', '1', () => 'C');
    expect(cache.size).toBe(2);
    expect(cache.get('a', '1', () => 'rebuilt')).toBe('A');
    expect(cache.get('b', '1', () => 'rebuilt')).toBe('rebuilt');
  });

  it('caches nothing when the build throws', () => {
    const cache = new CompiledFilterCache();
    const bad = () => compileFilter({ query: '$[' });
    expect(() => cache.get('cfg-1', 'v1', bad)).toThrow(/invalid JSONPath/);
    expect(cache.size).toBe(0);
    const good = cache.get('cfg-1', 'v1', () => compileFilter({ query: '$.a' }));
    expect(good.evaluate({ a: 1 }).result).toBe(true);
  });
});
