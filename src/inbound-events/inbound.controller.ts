import { Controller, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { SpanInterceptor } from '../common/telemetry/span.interceptor';
import { SpanName, TraceAttribute } from '../common/telemetry/tracing';
import { InboundCallback, InboundReceiverService } from './inbound-receiver.service';

/** The `hookline.inbound.receive` span of every route (README "Tracing"), named by the route's params it has
 * (cut to 100 characters: anyone may call these routes with any path). */
const receiveSpan = new SpanInterceptor(SpanName.InboundReceive, ({ params }) => ({
  ...(params.provider ? { [TraceAttribute.Provider]: String(params.provider).slice(0, 100) } : {}),
  ...(params.integrationId ? { [TraceAttribute.IntegrationId]: String(params.integrationId).slice(0, 100) } : {}),
}));

/** Provider callbacks: authenticated by the provider's signature over the raw body, not by a bearer token. */
@Controller('inbound')
@Public()
@UseInterceptors(receiveSpan)
export class InboundController {
  constructor(private readonly receiver: InboundReceiverService) {}

  @Post(':provider/:integrationId')
  async receive(
    @Param('provider') provider: string,
    @Param('integrationId') integrationId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const receipt = await this.receiver.receive(provider, integrationId, toCallback(req));
    res.status(receipt.status).json(receipt.body);
  }
}

/** main.ts mounts express.raw on /inbound, so the body is the exact bytes received. */
function toCallback(req: Request): InboundCallback {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers))
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return {
    rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    headers,
    contentType: headers['content-type'],
  };
}
