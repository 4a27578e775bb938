import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRecord } from '../payload-reader';
import { TemuApiClient, TemuApiError, temuSign, type TemuTransport } from './temu-api.client';

const APP_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const APP_SECRET = '4782d2d827276688bf4758bed55dbdd4bbe79a79';
const ACCESS_TOKEN = 'upl-token-for-mall-1001';

/** A fake Temu router on loopback: checks the common params and the sign, answers like Temu. */
function fakeTemu(): Promise<{ server: Server; url: string; received: Record<string, unknown>[] }> {
  const received: Record<string, unknown>[] = [];
  const reply = (res: ServerResponse, body: unknown) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const params: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (!isRecord(params)) return reply(res, { success: false, errorCode: 1000001, errorMsg: 'bad request' });
      received.push(params);
      const now = Math.floor(Date.now() / 1000);
      if (params['app_key'] !== APP_KEY || params['access_token'] !== ACCESS_TOKEN || params['data_type'] !== 'JSON') {
        return reply(res, { success: false, errorCode: 7000002, errorMsg: 'invalid app_key or access_token' });
      }
      if (typeof params['timestamp'] !== 'number' || Math.abs(now - params['timestamp']) > 300) {
        return reply(res, { success: false, errorCode: 7000004, errorMsg: 'timestamp expired' });
      }
      if (params['sign'] !== temuSign(params, APP_SECRET))
        return reply(res, { success: false, errorCode: 7000015, errorMsg: 'The sign is invalid' });
      if (params['type'] === 'bg.tmc.message.update') {
        const permitted = params['permitEventCodeList'];
        if (Array.isArray(permitted) && permitted.includes('bg_goods_teleported')) {
          return reply(res, {
            success: false,
            errorCode: 110020009,
            errorMsg: 'The app has not subscribed to this event',
          });
        }
        return reply(res, { success: true, errorCode: 1000000, result: { updated: true } });
      }
      return reply(res, { success: true, result: { echo: params['type'] } });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/openapi/router`, received }),
    ),
  );
}

const fetchTransport: TemuTransport = async (url, body, headers) => {
  const response = await fetch(url, { method: 'POST', body, headers });
  return { status: response.status, body: await response.text() };
};

describe('temuSign', () => {
  it('is the upper-case MD5 of secret + sorted key/value pairs + secret, objects as JSON, skipping sign and nulls', () => {
    const expected = createHash('md5').update('sa1b{"x":[1,2]}ctrues').digest('hex').toUpperCase();
    expect(temuSign({ c: true, b: { x: [1, 2] }, a: 1, sign: 'ignored', d: null }, 's')).toBe(expected);
  });
});

describe('TemuApiClient against a fake Temu router', () => {
  let fake: Awaited<ReturnType<typeof fakeTemu>>;

  beforeAll(async () => {
    fake = await fakeTemu();
  });
  afterAll(async () => {
    await new Promise((resolve) => fake.server.close(resolve));
  });

  const client = (appSecret = APP_SECRET) =>
    new TemuApiClient({ appKey: APP_KEY, appSecret, accessToken: ACCESS_TOKEN, baseUrl: fake.url }, fetchTransport);

  it('signs a call the way Temu checks it and resolves with the result', async () => {
    await expect(
      client().call('bg.order.detail.v2.get', { parentOrderSn: 'PO-211-1', fields: ['a', 'b'] }),
    ).resolves.toEqual({ echo: 'bg.order.detail.v2.get' });
    expect(fake.received.at(-1)).toMatchObject({
      type: 'bg.order.detail.v2.get',
      app_key: APP_KEY,
      data_type: 'JSON',
      parentOrderSn: 'PO-211-1',
    });
  });

  it('subscribes and unsubscribes event codes with bg.tmc.message.update', async () => {
    await expect(client().updateMessageSubscription(['bg_order_status_change_event'])).resolves.toEqual({
      updated: true,
    });
    expect(fake.received.at(-1)).toMatchObject({
      type: 'bg.tmc.message.update',
      permitEventCodeList: ['bg_order_status_change_event'],
    });
    expect(fake.received.at(-1)).not.toHaveProperty('cancelEventCodeList');
    await client().updateMessageSubscription([
      { code: 'bg_order_status_change_event', enable: true },
      { code: 'bg_aftersales_status_change', enable: false },
    ]);
    expect(fake.received.at(-1)).toMatchObject({
      permitEventCodeList: ['bg_order_status_change_event'],
      cancelEventCodeList: ['bg_aftersales_status_change'],
    });
  });

  it("propagates Temu's error message and code", async () => {
    const rejection = client().updateMessageSubscription(['bg_goods_teleported']);
    await expect(rejection).rejects.toThrow(
      'Temu bg.tmc.message.update failed: The app has not subscribed to this event (code 110020009)',
    );
    await expect(client('wrong-secret').call('bg.order.list.v2.get')).rejects.toMatchObject({
      name: 'TemuApiError',
      errorCode: 7000015,
      errorMsg: 'The sign is invalid',
    });
  });

  it('rejects a response that is not JSON', async () => {
    const htmlTransport: TemuTransport = async () => ({ status: 502, body: '<html>Bad gateway</html>' });
    const broken = new TemuApiClient(
      { appKey: APP_KEY, appSecret: APP_SECRET, accessToken: ACCESS_TOKEN, baseUrl: fake.url },
      htmlTransport,
    );
    await expect(broken.call('bg.order.list.v2.get')).rejects.toBeInstanceOf(TemuApiError);
  });
});
