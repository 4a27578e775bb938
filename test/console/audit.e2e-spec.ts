import { Browser } from 'playwright-core';
import { createTestApp, TestApp } from '../support/app';
import {
  createApiKey,
  ensureConsole,
  eventually,
  launchBrowser,
  newConsolePage,
  saveScreenshot,
  seriousA11yViolations,
  signInAt,
} from '../support/browser';
import { dataOf, gql } from '../support/graphql-client';
import { tenant } from '../support/tokens';

jest.setTimeout(120_000);

const CREATE = `mutation($input: CreateEventTypeInput!) { createEventType(input: $input) { name } }`;
const LOGS = `query($action: String) { auditLogs(action: $action, first: 50) { edges { node { targetId metadata } } } }`;
const ARCHIVE = `mutation($name: String!) { archiveEventType(name: $name) { name } }`;

describe('console: audit log', () => {
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

  it('shows entries for the actions done, filters by action and target, and pages 20 at a time', async () => {
    const me = tenant();
    const other = tenant();
    dataOf(await gql(t.graphqlUrl, CREATE, { input: { name: 'other.thing', description: 'x' } }, other.token));
    // 21 event types created and one archived: 23 entries with the API key below (api_key.created).
    for (let i = 0; i < 21; i++) {
      dataOf(await gql(t.graphqlUrl, CREATE, { input: { name: `audit.t${i}`, description: `type ${i}` } }, me.token));
    }
    dataOf(await gql(t.graphqlUrl, ARCHIVE, { name: 'audit.t3' }, me.token));
    const { context, page, problems } = await newConsolePage(browser);
    await signInAt(page, t, await createApiKey(t, me.token), '/audit');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const rows = page.getByTestId('audit-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(20);
    // Newest first: the key this page signed in with, then the archive.
    expect(await rows.nth(0).innerText()).toContain('api_key.created');
    expect(await rows.nth(1).innerText()).toContain('event_type.archived');
    expect(await page.getByText('other.thing').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'audit');

    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    // The first page stays on screen until the second arrives: wait for the second's row count.
    await expectRows(3);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 1').waitFor();

    await page.getByLabel('Action').fill('event_type.archived');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('Page 1').waitFor();
    await expectRows(1);
    expect(await rows.first().innerText()).toContain('audit.t3');

    const created = dataOf(await gql(t.graphqlUrl, LOGS, { action: 'event_type.created' }, me.token)).auditLogs
      .edges as { node: { targetId: string; metadata: { name?: string } } }[];
    const t7 = created.find((e) => JSON.stringify(e.node.metadata).includes('audit.t7'))?.node.targetId;
    expect(t7).toEqual(expect.any(String));
    await page.getByLabel('Action').fill('event_type.created');
    await page.getByLabel('Target id').fill(t7 as string);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    // The previous filter's single row stays on screen until the new answer arrives: wait for t7's row first.
    await rows
      .filter({ hasText: t7 as string })
      .first()
      .waitFor();
    await expectRows(1);
    expect(await rows.first().innerText()).toContain(t7);
    expect(await rows.first().innerText()).toContain('audit.t7');

    await page.getByLabel('Target id').fill('no-such-target');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No entries match.').waitFor();
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();

    async function expectRows(n: number): Promise<void> {
      // Polled from the test (a string waitForFunction is evaluated with eval in the page, which the CSP refuses).
      await eventually(() => page.getByTestId('audit-row').count(), n, 10_000);
    }
  });
});
