import { randomUUID } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import { createTestApp, TestApp } from '../support/app';
import {
  createApiKey,
  ensureConsole,
  inPage,
  launchBrowser,
  newConsolePage,
  saveScreenshot,
  seriousA11yViolations,
  signInAt,
} from '../support/browser';
import { faireOrder } from '../support/faire';
import { FakeTemu } from '../support/fake-temu';
import { dataOf, gql } from '../support/graphql-client';
import { createFaireIntegration, postFaireCallback, postFaireOrders } from '../support/inbound-callbacks';
import { waitUntil } from '../support/receiver';
import { Tenant, tenant } from '../support/tokens';

jest.setTimeout(120_000);

const EVENTS = `query($filter: InboundEventFilter!) { inboundEvents(filter: $filter, first: 100) { totalCount edges { node { id status attempts } } } }`;
const CREATE_INTEGRATION = `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id } }`;
const MARKUP = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

interface EventNode {
  id: string;
  status: string;
  attempts: number;
}

describe('console: inbound', () => {
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

  const events = async (me: Tenant, integrationId: string): Promise<EventNode[]> =>
    (
      dataOf(await gql(t.graphqlUrl, EVENTS, { filter: { integrationId } }, me.token)).inboundEvents.edges as {
        node: EventNode;
      }[]
    ).map((e) => e.node);
  const settled = (me: Tenant, integrationId: string, count: number): Promise<EventNode[]> =>
    waitUntil(async () => {
      const all = await events(me, integrationId);
      return all.length === count && all.every((e) => e.status === 'PROCESSED') && all;
    });
  const openIntegration = async (page: Page, me: Tenant, id: string): Promise<void> => {
    await signInAt(page, t, await createApiKey(t, me.token), `/inbound/${id}`);
    await page.getByRole('table', { name: 'Inbound events' }).waitFor();
  };

  it('lists the integrations, and shows one with its status cards', async () => {
    const me = tenant();
    const faire = await createFaireIntegration(t, me.token, 'Console Faire');
    await postFaireOrders(t, faire, 2);
    await settled(me, faire.id, 2);
    const { context, page, problems } = await newConsolePage(browser);
    await signInAt(page, t, await createApiKey(t, me.token), '/inbound');
    await page.getByRole('heading', { name: 'Inbound', level: 1 }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'inbound');
    await page.getByRole('link', { name: 'Console Faire' }).click();
    await page.getByRole('heading', { name: 'Console Faire (faire)' }).waitFor();
    await page.getByTestId('stat-processed').getByText('2').waitFor();
    await waitUntil(async () => (await page.getByTestId('inbound-row').count()) === 2);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'inbound-integration');
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('refuses a bulk delete until YES is typed (the rows stay), then deletes; delete all needs YES too', async () => {
    const me = tenant();
    const faire = await createFaireIntegration(t, me.token);
    const ids = await postFaireOrders(t, faire, 3);
    await settled(me, faire.id, 3);
    const { context, page, problems } = await newConsolePage(browser);
    await openIntegration(page, me, faire.id);
    await page.getByLabel(`Select event ${ids[0]}`).check();
    await page.getByLabel(`Select event ${ids[1]}`).check();
    await page.getByRole('button', { name: 'Delete selected (2)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete events?' });
    await dialog.waitFor();
    expect(await dialog.getByTestId('dry-run-count').innerText()).toBe('2');
    const confirm = dialog.getByRole('button', { name: 'Delete' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type YES to confirm').fill('yes');
    expect(await confirm.isDisabled()).toBe(true);
    await confirm.click({ force: true }).catch(() => undefined);
    await dialog.getByLabel('Type YES to confirm').press('Enter');
    expect((await events(me, faire.id)).map((e) => e.id).sort()).toEqual([...ids].sort());
    // Cancelling leaves them too.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await events(me, faire.id)).toHaveLength(3);

    await page.getByRole('button', { name: 'Delete selected (2)' }).click();
    await dialog.waitFor();
    await dialog.getByLabel('Type YES to confirm').fill('YES');
    await confirm.click();
    await page.getByTestId('bulk-outcome').getByText('Deleted 2 events.').waitFor();
    expect((await events(me, faire.id)).map((e) => e.id)).toEqual([ids[2]]);
    await waitUntil(async () => (await page.getByTestId('inbound-row').count()) === 1);

    await page.getByRole('button', { name: 'Delete all events' }).click();
    const all = page.getByRole('dialog', { name: 'Delete every event of this integration?' });
    await all.waitFor();
    expect(await all.getByTestId('dry-run-count').innerText()).toBe('1');
    expect(await all.getByRole('button', { name: 'Delete' }).isDisabled()).toBe(true);
    await all.getByLabel('Type YES to confirm').fill('YES');
    await all.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('bulk-outcome').getByText('Deleted 1 events.').waitFor();
    expect(await events(me, faire.id)).toEqual([]);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('shows the dry-run count of a bulk reprocess before confirming, changing nothing until then', async () => {
    const me = tenant();
    const faire = await createFaireIntegration(t, me.token);
    await postFaireOrders(t, faire, 3);
    const before = await settled(me, faire.id, 3);
    expect(before.map((e) => e.attempts)).toEqual([1, 1, 1]);
    const { context, page, problems } = await newConsolePage(browser);
    await openIntegration(page, me, faire.id);
    await page.getByRole('group', { name: 'Status' }).getByLabel('PROCESSED').check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('button', { name: 'Reprocess all matching' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reprocess events?' });
    await dialog.waitFor();
    expect(await dialog.getByTestId('dry-run-count').innerText()).toBe('3');
    expect(await dialog.innerText()).toContain('all matching the filter');
    // The dry run changed nothing.
    expect((await events(me, faire.id)).map((e) => e.attempts)).toEqual([1, 1, 1]);
    await dialog.getByRole('button', { name: 'Reprocess' }).click();
    await page.getByTestId('bulk-outcome').getByText('Reprocessing 3 events.').waitFor();
    const after = await waitUntil(async () => {
      const all = await events(me, faire.id);
      return all.every((e) => e.attempts === 2 && e.status === 'PROCESSED') && all;
    });
    expect(after).toHaveLength(3);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('renders a payload with markup as text: no script runs and no img is created', async () => {
    const me = tenant();
    const faire = await createFaireIntegration(t, me.token);
    const id = await postFaireCallback(t, faire, {
      ...faireOrder(`bo_${randomUUID().slice(0, 10)}`, 'b_console'),
      notes: MARKUP,
    });
    const { context, page, problems } = await newConsolePage(browser);
    await openIntegration(page, me, faire.id);
    await page.getByRole('button', { name: `Show the payload of event ${id}` }).click();
    const payload = page.getByLabel('Raw payload');
    await payload.getByText('window.__pwned=1', { exact: false }).waitFor();
    expect(await payload.innerText()).toContain(JSON.stringify(MARKUP).slice(1, -1));
    expect(await payload.locator('img, script').count()).toBe(0);
    expect(await inPage(page, "document.querySelectorAll('pre.payload img, pre.payload script').length")).toBe(0);
    expect(await inPage(page, 'window.__pwned')).toBeUndefined();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'inbound-payload');
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  describe('Temu subscriptions', () => {
    let temu: FakeTemu;
    const creds = {
      appKey: `app-${randomUUID().slice(0, 8)}`,
      appSecret: `secret-${randomUUID()}`,
      accessToken: `token-${randomUUID()}`,
    };
    beforeAll(async () => {
      temu = await FakeTemu.start({ ...creds, delayMs: 200 });
    });
    afterAll(async () => {
      await temu?.close();
    });

    it('"Enable all" shows live progress to 100 % against a fake Temu, then every code is enabled', async () => {
      const me = tenant();
      const { id } = dataOf(
        await gql(
          t.graphqlUrl,
          CREATE_INTEGRATION,
          { input: { provider: 'temu', name: 'Temu mall', credentials: { ...creds, baseUrl: temu.url } } },
          me.token,
        ),
      ).createIntegration as { id: string };
      const { context, page, problems } = await newConsolePage(browser);
      await openIntegration(page, me, id);
      const rows = page.getByTestId('subscription-row');
      await rows.first().waitFor();
      const codes = await rows.count();
      expect(codes).toBeGreaterThan(1);
      expect(await page.getByText('ENABLED', { exact: true }).count()).toBe(0);

      await page.getByRole('button', { name: 'Enable all' }).click();
      const bar = page.getByRole('progressbar', { name: 'Enable all progress' });
      await bar.waitFor();
      const seen: number[] = [];
      await waitUntil(async () => {
        const now = Number(await bar.getAttribute('aria-valuenow'));
        if (seen.at(-1) !== now) seen.push(now);
        return now === 100;
      }, 30_000);
      expect(seen.at(-1)).toBe(100);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      expect(await bar.evaluate((el: { tagName: string }) => el.tagName)).toBe('PROGRESS');
      await page.getByTestId('job-status').getByText(`COMPLETED: ${codes} of ${codes} (100 %)`).waitFor();
      await waitUntil(async () => (await page.getByText('ENABLED', { exact: true }).count()) === codes);
      expect(temu.subscribed.size).toBe(codes);
      expect(temu.calls.every((c) => c.signatureValid)).toBe(true);

      // One code off again, from its row.
      const first = (await rows.first().getByRole('rowheader').innerText()).trim();
      await page.getByRole('button', { name: `Disable ${first}` }).click();
      await page.getByRole('button', { name: `Enable ${first}` }).waitFor();
      expect(temu.subscribed.has(first)).toBe(false);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await saveScreenshot(page, 'inbound-temu');
      expect(problems).toEqual({ errors: [], cspViolations: [] });
      await context.close();
    });
  });
});
