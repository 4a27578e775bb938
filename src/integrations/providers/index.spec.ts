import { PROVIDER_ADAPTERS, getProviderAdapter } from './index';

describe('provider registry', () => {
  it('holds faire, temu and generic by name', () => {
    expect([...PROVIDER_ADAPTERS.keys()].sort()).toEqual(['faire', 'generic', 'temu']);
    expect(getProviderAdapter('faire')?.provider).toBe('faire');
    expect(getProviderAdapter('shopify')).toBeUndefined();
  });
});
