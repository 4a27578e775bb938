import { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { createTestApp, TestApp } from '../support/app';
import {
  createApiKey,
  eventually,
  ensureConsole,
  inPage,
  launchBrowser,
  newConsolePage,
  PageProblems,
  saveScreenshot,
  seriousA11yViolations,
  signInAt,
} from '../support/browser';
import { dataOf, gql } from '../support/graphql-client';
import { ok, ReceivedRequest, ReceiverPool, Responder } from '../support/receiver';
import { tenant, Tenant } from '../support/tokens';

const NO_PROBLEMS: PageProblems = { errors: [], cspViolations: [] };

function verify(secret: string, req: ReceivedRequest): unknown {
  return new Webhook(secret).verify(req.body, {
    'webhook-id': req.headers['webhook-id'],
    'webhook-timestamp': req.headers['webhook-timestamp'],
    'webhook-signature': req.headers['webhook-signature'],
  });
}

/** Creates an endpoint through the page's form; returns its id and the secret the page showed once. */
async function createThroughPage(page: Page, url: string): Promise<{ id: string; secret: string }> {
  await page.getByRole('button', { name: 'New endpoint' }).click();
  await page.getByLabel('URL', { exact: true }).fill(url);
  await page.getByLabel('Description').fill('console test');
  await page.getByRole('button', { name: 'Create endpoint' }).click();
  const secret = (await page.getByTestId('secret').textContent()) ?? '';
  const href = (await page.getByRole('link', { name: url }).first().getAttribute('href')) ?? '';
  return { id: href.split('/endpoints/')[1].split('?')[0], secret };
}

describe('console: endpoints, live deliveries, replay (real app, receivers and Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  const receivers = new ReceiverPool();
  beforeAll(async () => {
    ensureConsole();
    // A short retry schedule: a failing receiver's delivery is DEAD_LETTER after 3 quick retries.
    t = await createTestApp({ DELIVERY_RETRY_SCHEDULE: '200ms,200ms,200ms' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await receivers.closeAll();
    await browser?.close();
    await t?.close();
  });

  let me: Tenant;
  let key: string;
  beforeEach(async () => {
    me = tenant();
    key = await createApiKey(t, me.token);
  });

  it('creates an endpoint showing its secret once; "Send test" appears live and turns SUCCEEDED, signed', async () => {
    const receiver = await receivers.start(ok());
    const { context, page, problems } = await newConsolePage(browser);
    await signInAt(page, t, key);
    await page.getByRole('heading', { name: 'Endpoints' }).waitFor();
    const { id, secret } = await createThroughPage(page, receiver.url);
    expect(secret).toMatch(/^whsec_/);
    await page.getByText('you will not see this again').waitFor();
    await eventually(() => page.getByRole('row').filter({ hasText: receiver.url }).count(), 1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'endpoints');

    // Dismissed, the secret is gone: neither the list nor the endpoint page shows it again.
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByTestId('secret').count()).toBe(0);
    await page.getByRole('link', { name: receiver.url }).click();
    await page.getByRole('heading', { name: /^Endpoint / }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/endpoints/${id}`);
    expect(await page.content()).not.toContain(secret);
    expect(await page.getByTestId('delivery-row').count()).toBe(0);

    // No reload from here on: the row comes through deliveryUpdated.
    await page.getByRole('button', { name: 'Send test event' }).click();
    const row = page.getByTestId('delivery-row').first();
    await row.waitFor();
    await eventually(() => row.getAttribute('data-status'), 'SUCCEEDED', 20_000);
    const [request] = await receiver.waitFor(1);
    expect(verify(secret, request)).toBeTruthy();
    expect(JSON.parse(request.body)).toBeTruthy();

    // The chart draws a point for the one attempt made (read from its data, not its pixels).
    const chart = page.getByTestId('response-time-chart');
    await eventually(() => chart.getAttribute('data-attempts'), '1', 20_000);
    expect(await chart.getAttribute('data-points')).toBe('1');
    expect(await page.locator('[data-testid="response-time-chart"] canvas').count()).toBe(1);
    await eventually(() => page.getByTestId('stat-total-deliveries').textContent(), '1');
    expect(await page.getByTestId('stat-success-rate').textContent()).toBe('100.0 %');

    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'endpoint');
    expect(problems).toEqual(NO_PROBLEMS);
    await context.close();
  });

  it('a failing receiver goes DEAD_LETTER live; replay from the delivery page delivers once it is fixed', async () => {
    let failing = true;
    const responder: Responder = (_req, res) => {
      if (failing) res.writeHead(500, { 'content-type': 'text/plain' }).end('down for maintenance');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    };
    const receiver = await receivers.start(responder);
    const { context, page, problems } = await newConsolePage(browser);
    await signInAt(page, t, key);
    const { id, secret } = await createThroughPage(page, receiver.url);
    await page.getByRole('link', { name: receiver.url }).first().click();
    await page.getByRole('button', { name: 'Send test event' }).click();
    const row = page.getByTestId('delivery-row').first();
    await eventually(() => row.getAttribute('data-status'), 'DEAD_LETTER', 30_000);
    expect(receiver.requests.length).toBe(4); // the first attempt and 3 retries

    // The chart counts the attempts made.
    await eventually(() => page.getByTestId('response-time-chart').getAttribute('data-attempts'), '4', 20_000);

    // The log's status filter: a SUCCEEDED-only view has nothing yet, a DEAD_LETTER one has the row.
    await page.getByLabel('Status').selectOption('SUCCEEDED');
    await page.getByText('No deliveries match.').waitFor();
    await page.getByLabel('Status').selectOption('DEAD_LETTER');
    await eventually(() => page.getByTestId('delivery-row').count(), 1);
    await page.getByLabel('Status').selectOption('');

    await row.getByRole('link', { name: /^Open delivery / }).click();
    await page.getByRole('heading', { name: /^Delivery of / }).waitFor();
    expect(await page.getByTestId('attempt').count()).toBe(4);
    await page.getByText('down for maintenance').first().waitFor();
    const original = page.url();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'delivery-dead-letter');

    failing = false;
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.waitForURL((u) => u.toString() !== original);
    await eventually(() => page.getByTestId('status').first().textContent(), 'SUCCEEDED', 20_000);
    // A succeeded delivery cannot be replayed.
    expect(await page.getByRole('button', { name: 'Replay' }).isDisabled()).toBe(true);
    const requests = await receiver.waitFor(5);
    expect(verify(secret, requests[4])).toBeTruthy();
    expect(requests[4].body).toBe(requests[0].body);
    await saveScreenshot(page, 'delivery-replayed');

    const res = await gql(
      t.graphqlUrl,
      '{ deliveries(filter: { endpointId: "' + id + '" }) { edges { node { status replayOfId } } } }',
      {},
      key,
    );
    const statuses = dataOf(res)
      .deliveries.edges.map((e: { node: { status: string } }) => e.node.status)
      .sort();
    expect(statuses).toEqual(['DEAD_LETTER', 'SUCCEEDED']);
    expect(problems).toEqual(NO_PROBLEMS);
    await context.close();
  });

  it('renders a payload with markup as text: no script runs, no img element is created', async () => {
    const receiver = await receivers.start(ok(200, '<img src=x onerror="window.__pwnedBody=1"><b>bold</b>'));
    const created = await gql(
      t.graphqlUrl,
      'mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id } } }',
      { input: { url: receiver.url, eventTypes: ['order.created'] } },
      key,
    );
    const endpointId = dataOf(created).createEndpoint.endpoint.id as string;
    const sample = dataOf(await gql(t.graphqlUrl, '{ eventType(name: "order.created") { samplePayload } }', {}, key))
      .eventType.samplePayload as { order: Record<string, unknown> };
    const markup = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
    const payload = { ...sample, order: { ...sample.order, id: markup } };
    dataOf(
      await gql(
        t.graphqlUrl,
        'mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }',
        { input: { eventType: 'order.created', payload } },
        key,
      ),
    );
    await receiver.waitFor(1);

    const { context, page, problems } = await newConsolePage(browser);
    await signInAt(page, t, key, `/endpoints/${endpointId}`);
    const row = page.getByTestId('delivery-row').first();
    await eventually(() => row.getAttribute('data-status'), 'SUCCEEDED', 20_000);
    await row.getByRole('link', { name: /^Open delivery / }).click();
    const sent = page.getByLabel('Payload as sent');
    await sent.waitFor();
    expect(await sent.textContent()).toContain(markup.replace(/"/g, '\\"'));
    expect(await page.getByLabel('Response body of attempt 1').textContent()).toContain('<b>bold</b>');
    expect(await inPage(page, "document.querySelectorAll('main img, main script, main b').length")).toBe(0);
    expect(await inPage(page, 'window.__pwned ?? window.__pwnedBody ?? null')).toBeNull();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'delivery');
    expect(problems).toEqual(NO_PROBLEMS);
    await context.close();
  });

  it('an unknown endpoint id reads as not found; a refused create shows the API error and creates nothing', async () => {
    const { context, page } = await newConsolePage(browser);
    await signInAt(page, t, key, '/endpoints/00000000-0000-4000-8000-000000000000');
    await page.getByRole('heading', { name: 'Endpoint not found' }).waitFor();
    // A refused create shows the API's message and code, and creates nothing.
    await page.getByRole('link', { name: 'Back to the endpoints' }).click();
    await page.getByRole('button', { name: 'New endpoint' }).click();
    await page.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:1025/hook');
    await page.getByLabel('Event types (comma separated, empty: all)').fill('no.such.type');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    const alert = page.getByRole('alert').first();
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/no\.such\.type.*[A-Z_]{5,}/s);
    expect(await page.getByTestId('secret').count()).toBe(0);
    const list = await gql(t.graphqlUrl, '{ endpoints { totalCount } }', {}, key);
    expect(dataOf(list).endpoints.totalCount).toBe(0);
    await context.close();
  });
});
