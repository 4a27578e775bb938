import { Injectable } from '@nestjs/common';
import type { CallerCredentials } from '../common/graphql/caller-credentials';
import type { Caller, GraphqlContext } from '../common/graphql/graphql-context';
import { UnauthenticatedError } from '../common/errors/domain-error';
import { AuthService } from './auth.service';
import { credentialKey, Principal } from './principal';

/** Auth's side of CALLER_CREDENTIALS: the rate-limit key of whoever calls. */
@Injectable()
export class CallerCredentialsAdapter implements CallerCredentials {
  constructor(private readonly auth: AuthService) {}

  async ofRequest(req: NonNullable<GraphqlContext['req']>): Promise<string | null> {
    if (!req.principal) {
      const authorization = req.headers?.authorization;
      if (!authorization) return null;
      try {
        req.principal = await this.auth.authenticate(authorization);
      } catch (error) {
        if (error instanceof UnauthenticatedError) return null; // the guard refuses it, with its reason
        throw error;
      }
    }
    return credentialKey(req.principal as Principal);
  }

  ofCaller(caller: Caller): string | null {
    return caller ? credentialKey(caller as Principal) : null;
  }
}
