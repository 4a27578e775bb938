import { ArrayContains } from 'typeorm';
import { ALL_CHANNELS } from '../auth/principal';
import { scopedChannels, scopeWhere } from './endpoint-scope';

describe('endpoint channel scope', () => {
  it('ALL_CHANNELS adds no condition; a channel requires it in the endpoint channels', () => {
    expect(scopeWhere(ALL_CHANNELS)).toEqual({});
    expect(scopeWhere('shop:42')).toEqual({ channels: ArrayContains(['shop:42']) });
  });

  it('without a scope, channels are normalised as before (omitted: every channel)', () => {
    expect(scopedChannels(ALL_CHANNELS, undefined, true)).toEqual([]);
    expect(scopedChannels(ALL_CHANNELS, ['a', 'a', 'b'], true)).toEqual(['a', 'b']);
    expect(scopedChannels(ALL_CHANNELS, undefined, false)).toBeUndefined();
    expect(scopedChannels(ALL_CHANNELS, null, false)).toEqual([]);
  });

  it('within a scope, omitted on create is the channel, and only exactly the channel is accepted', () => {
    expect(scopedChannels('shop:42', undefined, true)).toEqual(['shop:42']);
    expect(scopedChannels('shop:42', null, true)).toEqual(['shop:42']);
    expect(scopedChannels('shop:42', ['shop:42', 'shop:42'], true)).toEqual(['shop:42']);
    expect(scopedChannels('shop:42', undefined, false)).toBeUndefined();
    for (const [requested, onCreate] of [
      [['shop:7'], true],
      [[], true],
      [['shop:42', 'shop:7'], true],
      [null, false],
      [[], false],
      [['shop:7'], false],
    ] as const) {
      expect(() => scopedChannels('shop:42', requested, onCreate)).toThrow(
        expect.objectContaining({ code: 'BAD_USER_INPUT', reasonCode: 'CHANNEL_OUTSIDE_SESSION' }),
      );
    }
  });
});
