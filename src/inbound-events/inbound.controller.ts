import { Controller, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { retryAfterSeconds } from '../common/rate-limits/rate-limit-windows';
import { SpanInterceptor } from '../common/telemetry/span.interceptor';
import { SpanName, TraceAttribute } from '../common/telemetry/tracing';
import { InboundCallback, InboundReceipt, InboundReceiverService } from './inbound-receiver.service';

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

  /** Faire's single webhook URL per brand: X-Faire-Brand-Token names the integration. */
  @Post('faire')
  async receiveFaire(@Req() req: Request, @Res() res: Response): Promise<void> {
    send(res, await this.receiver.receiveFaire(toCallback(req)));
  }

  @Post(':provider/:integrationId')
  async receive(
    @Param('provider') provider: string,
    @Param('integrationId') integrationId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    send(res, await this.receiver.receive(provider, integrationId, toCallback(req)));
  }
}

/** A receipt as HTTP: its status and body, and Retry-After (seconds, rounded up) on a 429. */
function send(res: Response, receipt: InboundReceipt): void {
  if (receipt.status === 429) res.setHeader('Retry-After', String(retryAfterSeconds(receipt.retryAfterMs)));
  res.status(receipt.status).json(receipt.body);
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
