import { sign } from 'jsonwebtoken';
import { UnauthenticatedError } from '../common/errors/domain-error';
import { verifyAdminJwt } from './jwt';

const claims = { sub: 'user-1', tenant_id: 'tenant-1', permissions: ['manage_webhooks'] };
const token = (secret: string, options: object = {}) => sign(claims, secret, { algorithm: 'HS256', expiresIn: 60, ...options });

describe('verifyAdminJwt', () => {
  it('accepts an HS256 token signed with the secret', () => {
    expect(verifyAdminJwt(token('secret-a'), 'secret-a')).toEqual({ sub: 'user-1', tenantId: 'tenant-1', permissions: ['manage_webhooks'] });
  });

  it('uses the secret it is given, not the one a previous call cached', () => {
    expect(verifyAdminJwt(token('secret-a'), 'secret-a').tenantId).toBe('tenant-1');
    expect(() => verifyAdminJwt(token('secret-a'), 'secret-b')).toThrow(UnauthenticatedError);
    expect(verifyAdminJwt(token('secret-b'), 'secret-b').tenantId).toBe('tenant-1');
    expect(() => verifyAdminJwt(token('secret-b'), 'secret-a')).toThrow('invalid token: invalid signature');
  });

  it('refuses other algorithms and unsigned tokens', () => {
    expect(() => verifyAdminJwt(token('secret-a', { algorithm: 'HS512' }), 'secret-a')).toThrow('invalid token: invalid algorithm');
    const unsigned = sign(claims, '', { algorithm: 'none', expiresIn: 60 });
    expect(() => verifyAdminJwt(unsigned, 'secret-a')).toThrow(UnauthenticatedError);
  });

  it('refuses an expired token', () => {
    expect(() => verifyAdminJwt(token('secret-a', { expiresIn: -60 }), 'secret-a')).toThrow('token expired');
  });
});
