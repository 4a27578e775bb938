/**
 * The limit side of the benchmark, in its own process as Hookline's worker is: a Bull consumer with the same
 * queue settings that either does nothing per job ("noop") or signs a ~1 KB body with HMAC-SHA256 and POSTs it
 * with undici over a keep-alive pool ("chain"): Hookline's work without the database.
 * Reports how many jobs it finished to the parent every 100 ms.
 */
import Bull, { Job } from 'bull';
import { Agent, request } from 'undici';
import { buildSignatureHeaders } from '../../src/common/crypto/sign-payload';
import { generateWebhookSecret } from '../../src/common/crypto/webhook-secret';
import { webhookBody } from './payload';

export interface LimitWorkerSpec {
  mode: 'noop' | 'chain';
  redisUrl: string;
  prefix: string;
  queue: string;
  concurrency: number;
  urls: string[];
}

export interface LimitJob {
  deliveryId: string;
  endpoint: number;
  seq: number;
}

export const LIMIT_QUEUE_SETTINGS = { stalledInterval: 5_000, maxStalledCount: 2, lockDuration: 60_000 };

let processed = 0;
let failed = 0;

async function chain(spec: LimitWorkerSpec, agent: Agent, secret: string, job: Job<LimitJob>): Promise<void> {
  const { deliveryId, endpoint, seq } = job.data;
  const body = webhookBody(deliveryId, seq);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Hookline-Webhooks/1.0',
    ...buildSignatureHeaders({ msgId: deliveryId, timestamp: Math.floor(Date.now() / 1000), body, secrets: [secret] }),
  };
  const res = await request(spec.urls[endpoint % spec.urls.length], {
    dispatcher: agent,
    method: 'POST',
    headers,
    body,
  });
  await res.body.text();
  if (res.statusCode >= 200 && res.statusCode < 300) processed += 1;
  else failed += 1;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LimitWorkerSpec;
  const agent = new Agent({ connections: null });
  const secret = generateWebhookSecret();
  const queue = new Bull<LimitJob>(spec.queue, spec.redisUrl, { prefix: spec.prefix, settings: LIMIT_QUEUE_SETTINGS });
  await queue.isReady();
  void queue.process(spec.concurrency, async (job: Job<LimitJob>) => {
    if (spec.mode === 'chain') await chain(spec, agent, secret, job);
    else processed += 1;
  });
  const timer = setInterval(() => {
    // With a callback, a channel closing under us is reported there instead of thrown.
    if (process.connected) process.send?.({ processed, failed }, undefined, {}, () => undefined);
  }, 100);
  process.on('disconnect', () => {
    clearInterval(timer);
    void queue.close().finally(() => agent.close().finally(() => process.exit(0)));
  });
  process.send?.({ ready: true, processed, failed });
}

if (require.main === module) void main();
