import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

export interface ReceiverSpec {
  /** Receivers that answer 200 at once. */
  healthy: number;
  /** Receivers that accept the request and never answer. */
  hold: number;
  /** Count requests per webhook-id (the soak's lost/duplicate check). */
  trackIds: boolean;
}

export interface ReceiverStats {
  /** Requests answered by the healthy receivers. */
  total: number;
  /** TCP connections accepted, all receivers. */
  connections: number;
  /** Epoch ms (fractional) of the first and last request answered. */
  firstAt: number;
  lastAt: number;
  /** Requests per receiver, healthy first, then held. */
  perReceiver: number[];
  openSockets: number;
  held: number;
}

export interface ReceiverAudit {
  distinct: number;
  duplicates: number;
  missing: number;
  missingSample: string[];
}

export type ReceiverRequest =
  { type: 'stats' } | { type: 'latencies' } | { type: 'audit'; index: number; expected: string[] };

export interface ReceiverReply {
  seq: number;
  data: ReceiverStats | number[] | ReceiverAudit | string[];
}

/** The parent's handle on the receiver process. */
export class Receivers {
  private seq = 0;
  private readonly waiting = new Map<number, (data: ReceiverReply['data']) => void>();

  private constructor(
    private readonly child: ChildProcess,
    /** Healthy receivers first, then the held ones. */
    readonly urls: string[],
  ) {
    child.on('message', (reply: ReceiverReply) => {
      this.waiting.get(reply.seq)?.(reply.data);
      this.waiting.delete(reply.seq);
    });
  }

  static async start(spec: ReceiverSpec): Promise<Receivers> {
    const child = fork(join(__dirname, 'receiver-process.ts'), [JSON.stringify(spec)], {
      execArgv: ['--require', require.resolve('ts-node/register/transpile-only')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const urls = await new Promise<string[]>((resolve, reject) => {
      child.once('message', (reply: ReceiverReply) => resolve(reply.data as string[]));
      child.once('exit', (code) => reject(new Error(`receiver process exited early (${code})`)));
    });
    return new Receivers(child, urls);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  stats(): Promise<ReceiverStats> {
    return this.ask({ type: 'stats' }) as Promise<ReceiverStats>;
  }

  /** Publish→receive latencies (ms) recorded since the last call, for payloads stamped with bench.sentAt. */
  takeLatencies(): Promise<number[]> {
    return this.ask({ type: 'latencies' }) as Promise<number[]>;
  }

  audit(index: number, expected: string[]): Promise<ReceiverAudit> {
    return this.ask({ type: 'audit', index, expected }) as Promise<ReceiverAudit>;
  }

  /** Resolves once the healthy receivers have answered `count` requests in all; the stats at that moment. */
  async waitForTotal(count: number, timeoutMs: number, intervalMs = 50): Promise<ReceiverStats> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.stats();
      if (s.total >= count) return s;
      if (Date.now() > deadline)
        throw new Error(`receivers answered ${s.total} requests, expected ${count} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  async close(): Promise<void> {
    if (!this.child.connected) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await exited;
  }

  private ask(request: ReceiverRequest): Promise<ReceiverReply['data']> {
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.waiting.set(seq, resolve);
      this.child.send({ ...request, seq });
    });
  }
}
