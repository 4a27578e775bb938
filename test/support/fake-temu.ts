import { createHash } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface FakeTemuOptions {
  appKey: string;
  appSecret: string;
  accessToken: string;
  /** Delay before each answer, so a test can watch a job's progress. */
  delayMs?: number;
}

export interface FakeTemuCall {
  params: Record<string, unknown>;
  signatureValid: boolean;
}

/**
 * A stand-in for Temu's open-platform router on 127.0.0.1. It checks the request signature on its own
 * (MD5 of secret + sorted key/value pairs + secret, upper-case hex: written here independently of the
 * client under test) and keeps the subscribed event codes as bg.tmc.message.update leaves them.
 */
export class FakeTemu {
  readonly calls: FakeTemuCall[] = [];
  readonly subscribed = new Set<string>();
  /** Codes Temu refuses to subscribe to, with the message it answers. */
  readonly refuse = new Map<string, string>();
  url = '';
  private server: Server;

  private constructor(private readonly opts: FakeTemuOptions) {}

  static async start(opts: FakeTemuOptions): Promise<FakeTemu> {
    const fake = new FakeTemu(opts);
    await fake.listen();
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private listen(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const answer = this.handle(Buffer.concat(chunks).toString('utf8'));
        setTimeout(
          () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer)),
          this.opts.delayMs ?? 0,
        );
      });
    });
    return new Promise((resolve) =>
      this.server.listen(0, '127.0.0.1', () => {
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/openapi/router`;
        resolve();
      }),
    );
  }

  private handle(body: string): Record<string, unknown> {
    let params: Record<string, unknown>;
    try {
      params = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return { success: false, errorCode: 1000000, errorMsg: 'request body is not JSON' };
    }
    const signatureValid = params['sign'] === this.expectedSign(params);
    this.calls.push({ params, signatureValid });
    if (!signatureValid) return { success: false, errorCode: 7000016, errorMsg: 'sign verification failed' };
    if (params['app_key'] !== this.opts.appKey || params['access_token'] !== this.opts.accessToken) {
      return { success: false, errorCode: 7000002, errorMsg: 'access token is invalid' };
    }
    if (params['type'] !== 'bg.tmc.message.update')
      return { success: false, errorCode: 3000001, errorMsg: `unknown type ${String(params['type'])}` };
    const permit = (params['permitEventCodeList'] as string[] | undefined) ?? [];
    const cancel = (params['cancelEventCodeList'] as string[] | undefined) ?? [];
    const refused = permit.find((code) => this.refuse.has(code));
    if (refused) return { success: false, errorCode: 4000004, errorMsg: this.refuse.get(refused) };
    for (const code of permit) this.subscribed.add(code);
    for (const code of cancel) this.subscribed.delete(code);
    return { success: true, result: { permitEventCodeList: permit, cancelEventCodeList: cancel } };
  }

  private expectedSign(params: Record<string, unknown>): string {
    const pairs = Object.keys(params)
      .filter((key) => key !== 'sign' && params[key] !== null && params[key] !== undefined)
      .sort()
      .map((key) => {
        const value = params[key];
        return key + (typeof value === 'object' ? JSON.stringify(value) : String(value));
      })
      .join('');
    return createHash('md5')
      .update(`${this.opts.appSecret}${pairs}${this.opts.appSecret}`, 'utf8')
      .digest('hex')
      .toUpperCase();
  }
}
