import { channelsFor, checkDistinct, checkShopId, checkUrlCount, diffUrls } from './registration-rules';
import { DuplicateRegistrationUrlError, InvalidShopIdError, RegistrationUrlCountError } from './registrations.errors';

describe('registration rules', () => {
  it('admits 1 to 10 URLs', () => {
    expect(() => checkUrlCount([])).toThrow(RegistrationUrlCountError);
    expect(() => checkUrlCount(Array.from({ length: 11 }, (_, i) => `https://a.test/${i}`))).toThrow(
      RegistrationUrlCountError,
    );
    expect(() => checkUrlCount(['https://a.test/1'])).not.toThrow();
    expect(() => checkUrlCount(Array.from({ length: 10 }, (_, i) => `https://a.test/${i}`))).not.toThrow();
  });

  it('refuses a URL given twice', () => {
    expect(() => checkDistinct(['https://a.test/', 'https://b.test/', 'https://a.test/'])).toThrow(
      DuplicateRegistrationUrlError,
    );
    expect(() => checkDistinct(['https://a.test/', 'https://b.test/'])).not.toThrow();
  });

  it('checks the shop id and derives the channel from it', () => {
    expect(checkShopId('shop-42')).toBe('shop-42');
    expect(() => checkShopId('')).toThrow(InvalidShopIdError);
    expect(() => checkShopId('a b')).toThrow(InvalidShopIdError);
    expect(() => checkShopId('x'.repeat(129))).toThrow(InvalidShopIdError);
    expect(channelsFor('shop-42')).toEqual(['shop:shop-42']);
    expect(channelsFor(null)).toEqual([]);
  });

  it('diffs a URL set into added and removed', () => {
    const current = [{ url: 'https://a.test/' }, { url: 'https://b.test/' }];
    expect(diffUrls(current, ['https://b.test/', 'https://c.test/'])).toEqual({
      added: ['https://c.test/'],
      removed: [{ url: 'https://a.test/' }],
    });
    expect(diffUrls(current, ['https://a.test/', 'https://b.test/'])).toEqual({ added: [], removed: [] });
  });
});
