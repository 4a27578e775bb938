import { incompleteness } from './secrets-reencrypt.job';

describe('incompleteness (what secrets:reencrypt reports when secrets are left)', () => {
  it('is null when nothing is left', () => {
    expect(incompleteness({}, ['B', 'A'])).toBeNull();
    expect(incompleteness({ A: 0 }, ['B', 'A'])).toBeNull();
  });

  it('names key ids not in the ring, with counts, as keys to add back', () => {
    const error = incompleteness({ A: 3, default: 1 }, ['B']);
    expect(error?.reasonCode).toBe('REENCRYPTION_INCOMPLETE');
    expect(error?.missingKeyIds).toEqual({ A: 3, default: 1 });
    expect(error?.stillPending).toEqual({});
    expect(error?.message).toMatch(/3 secret\(s\) under key id "A", which is not in SECRETS_ENCRYPTION_KEYS/);
    expect(error?.message).toMatch(/1 secret\(s\) under key id "default"/);
    expect(error?.message).toMatch(/run secrets:reencrypt again$/);
  });

  it('tells apart secrets still under a key of the ring (rewritten while the job ran)', () => {
    const error = incompleteness({ A: 2, Z: 1 }, ['B', 'A']);
    expect(error?.missingKeyIds).toEqual({ Z: 1 });
    expect(error?.stillPending).toEqual({ A: 2 });
    expect(error?.message).toMatch(/2 secret\(s\) still under key id "A" \(changed during the run\)/);
  });
});
