import { Browser } from 'playwright-core';
import { createTestApp, TestApp } from '../support/app';
import {
  createApiKey,
  ensureConsole,
  launchBrowser,
  newConsolePage,
  saveScreenshot,
  seriousA11yViolations,
  signInAt,
} from '../support/browser';
import { dataOf, gql } from '../support/graphql-client';
import { tenant } from '../support/tokens';

jest.setTimeout(120_000);

describe('console: API explorer (GraphiQL 4 bundled from npm)', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    ensureConsole();
    t = await createTestApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('loads from the service alone under the CSP and runs a query with the signed-in credential', async () => {
    const me = tenant();
    const url = `https://explorer-${Date.now()}.example.test/hook`;
    const created = dataOf(
      await gql(
        t.graphqlUrl,
        'mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id } } }',
        { input: { url, eventTypes: ['order.created'] } },
        me.token,
      ),
    ).createEndpoint.endpoint as { id: string };
    const key = await createApiKey(t, me.token);
    const { context, page, problems } = await newConsolePage(browser);
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await signInAt(page, t, key, '/graphiql');
    await page.getByRole('heading', { name: 'API explorer' }).waitFor();
    const run = page.getByRole('button', { name: /Execute query/ });
    await run.waitFor();
    // The editor is ready once the default query shows in it.
    await page.locator('.graphiql-query-editor', { hasText: 'endpoints' }).waitFor({ timeout: 30_000 });
    await run.click();
    const response = page.locator('.graphiql-response', { hasText: created.id });
    await response.waitFor({ timeout: 30_000 });
    const text = await response.innerText();
    expect(text).toContain('"data"');
    expect(text).not.toContain('UNAUTHENTICATED');

    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'graphiql');
    // Nothing from a CDN: every request the page made (scripts, styles, fonts, API) went to the service itself.
    const origin = new URL(t.url).origin;
    const foreign = requested.filter((r) => !r.startsWith(`${origin}/`) && !r.startsWith('data:'));
    expect(foreign).toEqual([]);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });
});
