import { sign } from 'jsonwebtoken';
import { createHmac } from 'node:crypto';
import { UnauthenticatedError } from '../common/errors/domain-error';
import { verifyAdminJwt } from './jwt';

const claims = { sub: 'user-1', tenant_id: 'tenant-1', permissions: ['manage_webhooks'] };
const token = (secret: string, options: object = {}) =>
  sign(claims, secret, { algorithm: 'HS256', expiresIn: 60, ...options });

describe('verifyAdminJwt', () => {
  it('accepts an HS256 token signed with the secret', () => {
    expect(verifyAdminJwt(token('secret-a'), 'secret-a')).toEqual({
      sub: 'user-1',
      tenantId: 'tenant-1',
      permissions: ['manage_webhooks'],
    });
  });

  it('uses the secret it is given, not the one a previous call cached', () => {
    expect(verifyAdminJwt(token('secret-a'), 'secret-a').tenantId).toBe('tenant-1');
    expect(() => verifyAdminJwt(token('secret-a'), 'secret-b')).toThrow(UnauthenticatedError);
    expect(verifyAdminJwt(token('secret-b'), 'secret-b').tenantId).toBe('tenant-1');
    expect(() => verifyAdminJwt(token('secret-b'), 'secret-a')).toThrow('invalid token: invalid signature');
  });

  it('refuses other algorithms and unsigned tokens', () => {
    expect(() => verifyAdminJwt(token('secret-a', { algorithm: 'HS512' }), 'secret-a')).toThrow(
      'invalid token: invalid algorithm',
    );
    const unsigned = sign(claims, '', { algorithm: 'none', expiresIn: 60 });
    expect(() => verifyAdminJwt(unsigned, 'secret-a')).toThrow(UnauthenticatedError);
  });

  it('refuses an expired token', () => {
    expect(() => verifyAdminJwt(token('secret-a', { expiresIn: -60 }), 'secret-a')).toThrow('token expired');
  });

  describe('maximum lifetime', () => {
    const now = Math.floor(Date.now() / 1000);
    /** Signed by hand: jsonwebtoken's sign() refuses some of these claims itself. */
    const raw = (extra: object) => {
      const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
      const unsigned = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ ...claims, ...extra })}`;
      return `${unsigned}.${createHmac('sha256', 'secret-a').update(unsigned).digest('base64url')}`;
    };

    it.each([
      ['exp: 1e300 with iat', { iat: now, exp: 1e300 }],
      ['exp: 1e300 without iat', { exp: 1e300 }],
      ['25 h with iat', { iat: now, exp: now + 25 * 3600 }],
      ['25 h without iat', { exp: now + 25 * 3600 }],
      ['iat far in the past, exp 1 h from now', { iat: now - 30 * 86400, exp: now + 3600 }],
      [
        'iat and exp both far in the future (lifetime 0, but valid for years)',
        { iat: now + 365 * 86400, exp: now + 365 * 86400 },
      ],
    ])('refuses %s', (_label, extra) => {
      expect(() => verifyAdminJwt(raw(extra), 'secret-a')).toThrow(/lifetime over the maximum of 86400 s/);
    });

    it('refuses a token without exp, and a non-numeric iat', () => {
      expect(() => verifyAdminJwt(raw({ iat: now }), 'secret-a')).toThrow('invalid token: exp claim required');
      expect(() => verifyAdminJwt(raw({ iat: 'yesterday', exp: now + 60 }), 'secret-a')).toThrow(
        'invalid token: iat claim must be a number',
      );
    });

    it('accepts 1 h and exactly 24 h (positive controls), and honours a configured maximum', () => {
      expect(verifyAdminJwt(raw({ iat: now, exp: now + 3600 }), 'secret-a').sub).toBe('user-1');
      expect(verifyAdminJwt(raw({ exp: now + 3600 }), 'secret-a').sub).toBe('user-1');
      expect(verifyAdminJwt(raw({ iat: now, exp: now + 86400 }), 'secret-a').sub).toBe('user-1');
      expect(() => verifyAdminJwt(raw({ iat: now, exp: now + 3600 }), 'secret-a', 600)).toThrow(/maximum of 600 s/);
      expect(verifyAdminJwt(raw({ iat: now, exp: now + 600 }), 'secret-a', 600).sub).toBe('user-1');
    });
  });
});
