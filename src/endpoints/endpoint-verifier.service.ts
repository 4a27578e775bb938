import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../auth/audit.service';
import { channelScope, Principal } from '../auth/principal';
import { buildSignatureHeaders } from '../common/crypto/sign-payload';
import { OutboundHttpClient } from '../common/http/http-client';
import { EndpointEntity } from './endpoint.entity';
import { EndpointSecrets } from './endpoint-secrets.service';
import {
  judgeVerification,
  newChallenge,
  verificationBody,
  VerificationOutcome,
  verificationTimeoutMs,
} from './endpoint-verification';
import { EndpointsService } from './endpoints.service';

/** The handshake of the contract: a signed challenge that the endpoint must echo in a 2xx JSON answer. */
@Injectable()
export class EndpointVerifier {
  /** Read once at boot; tests shorten the contract's 30 s with VERIFICATION_TIMEOUT_MS. */
  readonly timeoutMs = verificationTimeoutMs();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly endpoints: EndpointsService,
    private readonly secrets: EndpointSecrets,
    private readonly http: OutboundHttpClient,
    private readonly audit: AuditService,
  ) {}

  /** POSTs the signed challenge and judges the answer; verifiedAt is set on success, and either way it is audited. */
  async verify(principal: Principal, id: string): Promise<VerificationOutcome> {
    const { tenantId } = principal;
    const endpoint = await this.endpoints.find(tenantId, id, channelScope(principal));
    const challenge = newChallenge();
    const body = verificationBody(challenge);
    const signature = buildSignatureHeaders({
      msgId: `msg_verify_${randomUUID()}`,
      timestamp: Math.floor(Date.now() / 1000),
      body,
      secrets: await this.secrets.signingSecrets(tenantId, id),
    });
    const headers = { ...(endpoint.headers ?? {}), 'content-type': 'application/json', ...signature };
    const result = await this.http.post(endpoint.url, body, headers, { timeoutMs: this.timeoutMs });
    const outcome = judgeVerification(result, challenge, this.timeoutMs);
    await this.dataSource.transaction(async (m) => {
      if (outcome.verified) await m.update(EndpointEntity, { tenantId, id }, { verifiedAt: new Date() });
      const action = outcome.verified ? 'endpoint.verified' : 'endpoint.verification_failed';
      const details = { url: endpoint.url, reason: outcome.reason };
      await this.audit.record(principal, action, { type: 'endpoint', id }, details, m);
    });
    return outcome;
  }
}
