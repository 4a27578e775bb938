/**
 * A TCP proxy in front of Postgres that counts what its clients send: statements (a simple-protocol Query, or an
 * extended-protocol Execute) and round trips (a Query or a Sync, each of which the client waits on). The bench puts
 * it between one api process and Postgres to count the statements of a single publishEvents call, which
 * pg_stat_database cannot (it counts commits, not statements) and pg_stat_statements would need a server restart.
 *
 * The frontend protocol (postgresql.org/docs/current/protocol-message-formats.html): the first message of a
 * connection has no type byte (Int32 length, Int32 protocol version; an SSLRequest or GSSENCRequest is the same
 * shape and may come first), every later one is a type byte and an Int32 length that counts itself.
 */
import { createServer, Server, Socket, connect } from 'node:net';

export interface PgCounts {
  statements: number;
  roundTrips: number;
  connections: number;
}

export class PgCountingProxy {
  private readonly counts: PgCounts = { statements: 0, roundTrips: 0, connections: 0 };
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<PgCountingProxy> {
    const holder: { proxy?: PgCountingProxy } = {};
    const server = createServer((client) => holder.proxy?.accept(client, target));
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    holder.proxy = new PgCountingProxy(server, port);
    return holder.proxy;
  }

  /** The counters so far (a copy). */
  read(): PgCounts {
    return { ...this.counts };
  }

  private accept(client: Socket, target: { host: string; port: number }): void {
    this.counts.connections += 1;
    const upstream = connect(target.port, target.host);
    this.sockets.add(client).add(upstream);
    const parse = this.parser();
    client.on('data', (chunk: Buffer) => {
      parse(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    for (const s of [client, upstream]) {
      s.on('close', end);
      s.on('error', end);
    }
  }

  /** A streaming reader of frontend messages: messages may be split across chunks, or many share one. */
  private parser(): (chunk: Buffer) => void {
    let buffered: Buffer = Buffer.alloc(0);
    let startup = true;
    return (chunk) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      for (;;) {
        if (startup) {
          if (buffered.length < 8) return;
          const length = buffered.readInt32BE(0);
          if (buffered.length < length) return;
          const code = buffered.readInt32BE(4);
          buffered = buffered.subarray(length);
          // 80877103 SSLRequest, 80877104 GSSENCRequest: the real startup message follows (the bench's URLs are
          // plain TCP, so Postgres answers N and the client goes on unencrypted).
          if (code !== 80877103 && code !== 80877104) startup = false;
          continue;
        }
        if (buffered.length < 5) return;
        const type = String.fromCharCode(buffered[0]);
        const length = buffered.readInt32BE(1);
        if (buffered.length < 1 + length) return;
        if (type === 'Q') {
          this.counts.statements += 1;
          this.counts.roundTrips += 1;
        } else if (type === 'E') {
          this.counts.statements += 1;
        } else if (type === 'S') {
          this.counts.roundTrips += 1;
        }
        buffered = buffered.subarray(1 + length);
      }
    };
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
