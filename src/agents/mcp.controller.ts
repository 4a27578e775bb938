import { All, Controller, Req, Res } from '@nestjs/common';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { AuthService } from '../auth/auth.service';
import { credentialKey, Principal } from '../auth/principal';
import { UnauthenticatedError } from '../common/errors/domain-error';
import { retryAfterSeconds } from '../common/rate-limits/rate-limit-windows';
import { CredentialRateLimitedError } from '../common/rate-limits/rate-limits.errors';
import { RateLimitScope, RateLimitsService } from '../common/rate-limits/rate-limits.service';
import { McpServerFactory } from './mcp-server.factory';

/**
 * MCP over Streamable HTTP, stateless: every request authenticates with the same bearer credentials as GraphQL and
 * gets a server bound to its principal. @Public because the answer to a bad credential is MCP's (401 with
 * WWW-Authenticate), not the guard's; the tools check permissions as GraphQL does.
 */
@Controller('mcp')
@Public()
export class McpController {
  constructor(
    private readonly auth: AuthService,
    private readonly servers: McpServerFactory,
    private readonly limits: RateLimitsService,
  ) {}

  @All()
  async handle(@Req() req: Request, @Res() res: Response): Promise<void> {
    const principal = await this.authenticate(req, res);
    if (!principal) return;
    if (!(await this.withinRateLimit(principal, res))) return;
    const server = this.servers.create(principal);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  }

  /**
   * Each MCP request spends one point of the credential's API budget, before any JSON-RPC is read. Past it: HTTP 429
   * with Retry-After, as GraphQL over HTTP answers, not an isError result (a tools/list or an initialize can be
   * refused as well, and HTTP clients already back off on 429).
   */
  private async withinRateLimit(principal: Principal, res: Response): Promise<boolean> {
    const decision = await this.limits.consume(RateLimitScope.Api, credentialKey(principal), 1);
    if (decision.allowed) return true;
    const error = new CredentialRateLimitedError(decision.retryAfterMs ?? 60_000);
    res.status(429).setHeader('Retry-After', String(retryAfterSeconds(error.retryAfterMs)));
    res.json({ error: error.reasonCode, code: error.code, message: error.message, retryAfterMs: error.retryAfterMs });
    return false;
  }

  private async authenticate(req: Request, res: Response): Promise<Principal | null> {
    try {
      return await this.auth.authenticate(req.headers.authorization);
    } catch (error) {
      if (!(error instanceof UnauthenticatedError)) throw error;
      const challenge = req.headers.authorization
        ? `Bearer realm="hookline", error="invalid_token", error_description="${error.message.replace(/"/g, "'")}"`
        : 'Bearer realm="hookline"';
      res.status(401).setHeader('WWW-Authenticate', challenge);
      res.json({ error: error.reasonCode, message: error.message });
      return null;
    }
  }
}
