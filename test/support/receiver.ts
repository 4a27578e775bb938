import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
}

export type Responder = (req: ReceivedRequest, res: ServerResponse, index: number) => void | Promise<void>;

/** A real HTTP receiver on 127.0.0.1 that records every request and answers as the test says. */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private server: Server;
  private responder: Responder = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  };
  private readonly openResponses = new Set<ServerResponse>();
  url = '';

  static async start(responder?: Responder): Promise<Receiver> {
    const r = new Receiver();
    if (responder) r.respond(responder);
    await r.listen();
    return r;
  }

  respond(responder: Responder): this {
    this.responder = responder;
    return this;
  }

  private listen(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : (v ?? '');
        const record = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers,
          body: Buffer.concat(chunks).toString('utf8'),
          receivedAt: Date.now(),
        };
        const index = this.requests.push(record) - 1;
        this.openResponses.add(res);
        res.on('close', () => this.openResponses.delete(res));
        void this.responder(record, res, index);
      });
    });
    this.server.keepAliveTimeout = 30_000;
    return new Promise((resolve) =>
      this.server.listen(0, '127.0.0.1', () => {
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
        resolve();
      }),
    );
  }

  async waitFor(count: number, timeoutMs = 15_000): Promise<ReceivedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      if (Date.now() > deadline) throw new Error(`receiver got ${this.requests.length} requests, expected ${count}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.requests;
  }

  async close(): Promise<void> {
    for (const res of this.openResponses) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const ok =
  (status = 200, body = '{"ok":true}'): Responder =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  };

export async function waitUntil<T>(
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | null | undefined | false;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}

/**
 * The receivers a spec starts, closed together at its end (before the app: an attempt held by a receiver that
 * never answers then ends at once, instead of the app's shutdown waiting out its deadline).
 */
export class ReceiverPool {
  private readonly started: Receiver[] = [];

  /** A new receiver, closed by closeAll. */
  readonly start = async (responder?: Responder): Promise<Receiver> => {
    const receiver = await Receiver.start(responder);
    this.started.push(receiver);
    return receiver;
  };

  async closeAll(): Promise<void> {
    await Promise.all(this.started.splice(0).map((r) => r.close()));
  }
}
