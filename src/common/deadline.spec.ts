import { withDeadline } from './deadline';

describe('withDeadline', () => {
  it('passes the outcome through when the promise settles in time', async () => {
    await expect(withDeadline(Promise.resolve(42), 1_000)).resolves.toBe(42);
    await expect(withDeadline(Promise.reject(new Error('boom')), 1_000)).rejects.toThrow('boom');
  });

  it('rejects with a clear message once the deadline passes, and a later rejection stays handled', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const late = new Promise((_, reject) => setTimeout(() => reject(new Error('too late')), 60));
      await expect(withDeadline(late, 10, 'Redis')).rejects.toThrow('Redis did not answer within 10 ms');
      await new Promise((r) => setTimeout(r, 100));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
