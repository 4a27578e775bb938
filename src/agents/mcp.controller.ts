import { All, Controller, Req, Res } from '@nestjs/common';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { AuthService } from '../auth/auth.service';
import { Principal } from '../auth/principal';
import { UnauthenticatedError } from '../common/errors/domain-error';
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
  ) {}

  @All()
  async handle(@Req() req: Request, @Res() res: Response): Promise<void> {
    const principal = await this.authenticate(req, res);
    if (!principal) return;
    const server = this.servers.create(principal);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
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
