import { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { createTestApp, TestApp } from '../support/app';
import {
  createApiKey,
  ensureConsole,
  eventually,
  launchBrowser,
  newConsolePage,
  PageProblems,
  signInAt,
} from '../support/browser';
import { dataOf, gql } from '../support/graphql-client';
import { ReceiverPool, Responder } from '../support/receiver';
import { tenant } from '../support/tokens';

const NO_PROBLEMS: PageProblems = { errors: [], cspViolations: [] };
const CREATE = 'mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id } secret } }';

async function fillTextarea(page: Page, label: string, text: string): Promise<void> {
  await page.getByLabel(label).fill(text);
}

describe('console: endpoint actions, filter editor, paging (real app, receivers and Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  const receivers = new ReceiverPool();
  beforeAll(async () => {
    ensureConsole();
    t = await createTestApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await receivers.closeAll();
    await browser?.close();
    await t?.close();
  });

  it('verifies (outcome and reason), edits, disables and enables, rotates (secret once) and deletes after confirming', async () => {
    let echo = false;
    const responder: Responder = (req, res) => {
      const body = JSON.parse(req.body || '{}') as { challenge?: string };
      const answer = echo && body.challenge ? { challenge: body.challenge } : { ok: true };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    };
    const receiver = await receivers.start(responder);
    const me = tenant();
    const key = await createApiKey(t, me.token);
    const created = dataOf(await gql(t.graphqlUrl, CREATE, { input: { url: receiver.url } }, key)).createEndpoint;
    const id = created.endpoint.id as string;
    const { context, page, problems } = await newConsolePage(browser);
    await signInAt(page, t, key, `/endpoints/${id}`);
    await page.getByRole('heading', { name: /^Endpoint / }).waitFor();

    await page.getByRole('button', { name: 'Verify' }).click();
    await eventually(
      async () => /^Not verified — .+/.test((await page.getByTestId('verify-result').textContent()) ?? ''),
      true,
    );
    echo = true;
    await page.getByRole('button', { name: 'Verify' }).click();
    await eventually(async () => (await page.getByTestId('verify-result').textContent())?.startsWith('Verified'), true);

    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Description').fill('edited in the console');
    await page.getByRole('button', { name: 'Save endpoint' }).click();
    await page.getByText('edited in the console').waitFor();

    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('button', { name: 'Enable' }).waitFor();
    expect(await page.getByTestId('health').first().textContent()).toBe('DISABLED');
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('button', { name: 'Disable' }).waitFor();

    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    const secret = (await page.getByTestId('secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(created.secret);
    await page.getByText('you will not see this again').waitFor();
    await page.getByText(/deliveries are signed with both/).waitFor();
    // Deliveries from now on verify with the new secret.
    await page.getByRole('button', { name: 'Send test event' }).click();
    const requests = await receiver.waitFor(3); // two verification challenges, then the test event
    const sent = requests[2];
    expect(
      new Webhook(secret).verify(sent.body, {
        'webhook-id': sent.headers['webhook-id'],
        'webhook-timestamp': sent.headers['webhook-timestamp'],
        'webhook-signature': sent.headers['webhook-signature'],
      }),
    ).toBeTruthy();

    // Delete: cancelling keeps it, confirming removes it and goes back to the list.
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await eventually(() => page.getByRole('dialog').count(), 0);
    const stillThere = await gql(t.graphqlUrl, '{ endpoints { totalCount } }', {}, key);
    expect(dataOf(stillThere).endpoints.totalCount).toBe(1);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete endpoint' }).click();
    await page.getByRole('heading', { name: 'Endpoints', exact: true }).waitFor();
    await page.getByText('0 endpoints').waitFor();
    expect(problems).toEqual(NO_PROBLEMS);
    await context.close();
  });

  it('filter editor: validates against the type’s sample, explains the result, and saves only what was validated', async () => {
    const me = tenant();
    const key = await createApiKey(t, me.token);
    const receiver = await receivers.start();
    const created = dataOf(
      await gql(t.graphqlUrl, CREATE, { input: { url: receiver.url, eventTypes: ['order.created'] } }, key),
    ).createEndpoint;
    const { context, page, problems } = await newConsolePage(browser);
    await signInAt(page, t, key, `/endpoints/${created.endpoint.id}`);
    const editor = page.getByRole('region', { name: 'Filters and reducers' });
    await editor.getByLabel('Event type').fill('order.created');
    await editor.getByRole('button', { name: 'Use the type’s sample' }).click();
    await eventually(async () => (await page.getByLabel('Sample data (JSON)').inputValue()).includes('ord_'), true);
    const save = editor.getByRole('button', { name: 'Save filter and reducer' });

    // Malformed JSON is caught before any request, and nothing can be saved.
    await fillTextarea(page, 'Filter (JSON condition tree)', '{ "query": ');
    await editor.getByRole('button', { name: 'Validate' }).click();
    expect(await editor.getByRole('alert').first().textContent()).toContain('The filter is not valid JSON');
    expect(await save.isDisabled()).toBe(true);

    await fillTextarea(
      page,
      'Filter (JSON condition tree)',
      '{ "query": "$.order.total", "condition": "v => v > 1000" }',
    );
    await fillTextarea(
      page,
      'Reducer (JSON object of JSONPaths)',
      '{ "orderId": "$.order.id", "total": "$.order.total" }',
    );
    await editor.getByRole('button', { name: 'Validate' }).click();
    const outcome = page.getByTestId('validation-outcome');
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain('the sample is filtered out');
    expect(await page.getByLabel('Reduced payload').textContent()).toContain('"orderId": "ord_');
    expect(await save.isDisabled()).toBe(false);

    // Changing the text after validating asks for a new validation before saving.
    await fillTextarea(
      page,
      'Filter (JSON condition tree)',
      '{ "query": "$.order.total", "condition": "v => v > 10" }',
    );
    expect(await save.isDisabled()).toBe(true);
    await editor.getByRole('button', { name: 'Validate' }).click();
    await eventually(async () => (await outcome.textContent())?.includes('the sample passes'), true);
    await save.click();
    await editor.getByRole('button', { name: 'Edit the filter for order.created' }).waitFor();
    const saved = await gql(
      t.graphqlUrl,
      `{ endpoint(id: "${created.endpoint.id}") { filters { eventType filter reducer } } }`,
      {},
      key,
    );
    expect(dataOf(saved).endpoint.filters).toEqual([
      {
        eventType: 'order.created',
        filter: { query: '$.order.total', condition: 'v => v > 10' },
        reducer: { orderId: '$.order.id', total: '$.order.total' },
      },
    ]);
    expect(problems).toEqual(NO_PROBLEMS);
    await context.close();
  });

  it('pages the endpoint list by cursor, 20 a page, and filters it', async () => {
    const me = tenant();
    const key = await createApiKey(t, me.token);
    for (let i = 0; i < 23; i++) {
      const input = { url: `http://127.0.0.1:1025/hook-${i}`, channels: i < 2 ? ['shop:42'] : [] };
      dataOf(await gql(t.graphqlUrl, CREATE, { input }, key));
    }
    const { context, page, problems } = await newConsolePage(browser);
    await signInAt(page, t, key);
    await page.getByText('23 endpoints').waitFor();
    expect(await page.getByTestId('endpoint-row').count()).toBe(20);
    await page.getByRole('button', { name: 'Next page' }).click();
    await eventually(() => page.getByTestId('endpoint-row').count(), 3);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await eventually(() => page.getByTestId('endpoint-row').count(), 20);
    await page.getByLabel('State').selectOption('inactive');
    await page.getByText('0 endpoints').waitFor();
    await page.getByLabel('State').selectOption('all');
    await page.getByLabel('Channel').fill('shop:42');
    // Endpoints listing no channel receive every channel: all 23 match shop:42.
    await page.getByText('23 endpoints').waitFor();
    await page.getByLabel('Channel').fill('');
    await page.getByLabel('Event type').fill('order.created');
    await page.getByText('23 endpoints').waitFor();
    expect(problems).toEqual(NO_PROBLEMS);
    await context.close();
  });
});
