import { createHash } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../support/app';
import {
  ensureConsole,
  inPage,
  launchBrowser,
  newConsolePage,
  saveScreenshot,
  seriousA11yViolations,
  signInAt,
  storedCredential,
} from '../support/browser';
import { dataOf, gql } from '../support/graphql-client';
import { ok, ReceiverPool } from '../support/receiver';
import { Tenant, tenant } from '../support/tokens';

const CREATE_KEY = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }';
const REVOKE_KEY = 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }';
const CREATE_SESSION = `mutation($input: CreatePortalSessionInput) {
  createPortalSession(input: $input) { url token expiresAt channel } }`;
const CREATE_ENDPOINT =
  'mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id url channels } } }';
const ENDPOINTS = '{ endpoints(first: 100) { edges { node { id url channels } } } }';

/**
 * The portal link in the browser: a session limited to shop:42 sees and creates only shop:42's endpoints, is refused
 * the tenant-wide pages with a clear message, and shows "This link has expired" (forgetting its token) once the
 * API says so. Real app, real Postgres and Chromium.
 */
describe('console: a portal link limited to a channel (real app and Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let ds: DataSource;
  const receivers = new ReceiverPool();
  beforeAll(async () => {
    ensureConsole();
    t = await createTestApp();
    ds = t.app.get(DataSource);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await receivers.closeAll();
    await browser?.close();
    await t?.close();
  });

  let me: Tenant;
  let key: string;
  let keyId: string;
  let shop42: { id: string; url: string };
  let shop7: { id: string; url: string };
  let everyChannel: { id: string; url: string };
  beforeEach(async () => {
    me = tenant();
    const created = dataOf(
      await gql(t.graphqlUrl, CREATE_KEY, { input: { name: 'platform', permissions: ['manage_webhooks'] } }, me.token),
    ).createApiKey;
    key = created.key as string;
    keyId = created.apiKey.id as string;
    const make = async (channels: string[]) => {
      const receiver = await receivers.start(ok());
      const res = await gql(t.graphqlUrl, CREATE_ENDPOINT, { input: { url: receiver.url, channels } }, key);
      return dataOf(res).createEndpoint.endpoint as { id: string; url: string };
    };
    shop42 = await make(['shop:42']);
    shop7 = await make(['shop:7']);
    everyChannel = await make([]);
  });

  async function session(input: Record<string, unknown> = {}): Promise<{ url: string; token: string }> {
    const res = await gql(t.graphqlUrl, CREATE_SESSION, { input: { channel: 'shop:42', ...input } }, key);
    return dataOf(res).createPortalSession as { url: string; token: string };
  }

  /** The session's url on the test app (PUBLIC_BASE_URL is not the test port), with `query` put before the #. */
  function onTestApp(url: string, query: Record<string, string> = {}): string {
    const u = new URL(url);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    return `${t.url}${u.pathname}${u.search}${u.hash}`;
  }

  const rowUrls = async (page: Page) => page.getByTestId('endpoint-row').getByRole('link').allTextContents();

  it('sees only its channel, cannot open another channel or a tenant-wide page, creates in its channel', async () => {
    // Positive control: the API key signed in sees all three endpoints.
    const control = await newConsolePage(browser);
    await signInAt(control.page, t, key);
    await control.page.getByRole('heading', { name: 'Endpoints' }).waitFor();
    await control.page.getByText('3 endpoints').waitFor();
    expect((await rowUrls(control.page)).sort()).toEqual([shop42.url, shop7.url, everyChannel.url].sort());
    expect(await control.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(
      expect.arrayContaining(['Inbound', 'Audit log']),
    );
    expect(await control.page.getByTestId('session-channel').count()).toBe(0);
    await control.context.close();

    const s = await session();
    expect(s.url).toMatch(/\/console#session=whp_/);
    const { context, page, problems } = await newConsolePage(browser);
    await page.goto(onTestApp(s.url));
    await page.getByRole('heading', { name: 'Endpoints' }).waitFor();
    await page.getByText('1 endpoint', { exact: true }).waitFor();
    expect(await rowUrls(page)).toEqual([shop42.url]);
    expect(await page.getByTestId('session-channel').textContent()).toBe('Channel: shop:42');
    expect(await inPage(page, 'location.hash')).toBe('');
    expect(await storedCredential(page)).toBe(s.token);
    // The tenant-wide pages are not offered.
    const nav = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    expect(nav).toContain('Endpoints');
    expect(nav).not.toContain('Inbound');
    expect(nav).not.toContain('Audit log');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'portal-endpoints');

    // Another channel's endpoint, by its id: not found, and nothing of it shows.
    await page.goto(`${t.url}/console/endpoints/${shop7.id}`);
    await page.getByRole('heading', { name: 'Endpoint not found' }).waitFor();
    expect(await page.locator('main').textContent()).not.toContain(shop7.url);
    // Its own endpoint's page opens (positive control for the one above).
    await page.goto(`${t.url}/console/endpoints/${shop42.id}`);
    await page.getByRole('heading', { name: shop42.url }).waitFor();

    // A tenant-wide page opened by its address: a clear refusal, not a blank page.
    await page.goto(`${t.url}/console/audit`);
    await page.getByRole('heading', { name: 'Not available with this link' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('limited to the channel shop:42');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.goto(`${t.url}/console/inbound`);
    await page.getByRole('heading', { name: 'Not available with this link' }).waitFor();
    // The catalog is readable, but its authoring controls are not offered.
    await page.goto(`${t.url}/console/event-types`);
    await page.getByRole('heading', { name: 'Event catalog' }).waitFor();
    expect(await page.getByRole('button', { name: 'New event type' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Import from OpenAPI' }).count()).toBe(0);

    // Creating an endpoint through the portal: its channel is fixed to shop:42.
    await page.goto(`${t.url}/console`);
    await page.getByRole('button', { name: 'New endpoint' }).click();
    expect(await page.getByLabel('Channel (set by this link)').inputValue()).toBe('shop:42');
    expect(await page.getByLabel('Channels (comma separated, empty: all)').count()).toBe(0);
    const receiver = await receivers.start(ok());
    await page.getByLabel('URL', { exact: true }).fill(receiver.url);
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    await page.getByTestId('secret').waitFor();
    const all = dataOf(await gql(t.graphqlUrl, ENDPOINTS, {}, key)).endpoints.edges.map(
      (e: { node: { url: string; channels: string[] } }) => e.node,
    );
    expect(all.find((e: { url: string }) => e.url === receiver.url)?.channels).toEqual(['shop:42']);
    expect(all).toHaveLength(4);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('shows "This link has expired" once past expiresAt, forgets the token and shows no endpoint data', async () => {
    const s = await session({ ttlSeconds: 60 });
    const { context, page, problems } = await newConsolePage(browser);
    await page.goto(onTestApp(s.url));
    await page.getByText('1 endpoint', { exact: true }).waitFor();
    expect(await rowUrls(page)).toEqual([shop42.url]);
    const hash = createHash('sha256').update(s.token).digest('hex');
    await ds.query(`UPDATE portal_sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [hash]);
    // Navigating inside the console (no reload): the next query is refused, and the console says why.
    await page.getByRole('link', { name: 'Event catalog' }).click();
    await page.getByRole('heading', { name: 'This link has expired' }).waitFor();
    const alert = (await page.getByRole('alert').textContent()) ?? '';
    expect(alert).toContain('invalid, expired or ended portal session');
    expect(alert).toContain('PORTAL_SESSION_EXPIRED');
    expect(await storedCredential(page)).toBeNull();
    expect(await page.locator('body').textContent()).not.toContain(shop42.url);
    expect(await page.getByTestId('endpoint-row').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'portal-expired');
    // Opening the link again after its expiry: the same message, no data.
    await page.goto(onTestApp(s.url));
    await page.getByRole('heading', { name: 'This link has expired' }).waitFor();
    expect(await page.locator('body').textContent()).not.toContain(shop42.url);
    expect(await storedCredential(page)).toBeNull();
    expect(problems.cspViolations).toEqual([]);
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('ends when its creator key is revoked: the open console says so (the socket closes with 4403)', async () => {
    const s = await session();
    const { context, page, problems } = await newConsolePage(browser);
    await page.goto(onTestApp(`${s.url}`));
    await page.getByText('1 endpoint', { exact: true }).waitFor();
    // The endpoint page holds a live deliveryUpdated socket.
    await page.getByRole('link', { name: shop42.url }).click();
    await page.getByRole('heading', { name: shop42.url }).waitFor();
    const revoked = await gql(t.graphqlUrl, REVOKE_KEY, { id: keyId }, me.token);
    expect(dataOf(revoked).revokeApiKey.revokedAt).toBeTruthy();
    // No click, no reload: the socket's 4403 makes the console ask the API why, and it shows the end.
    await page.getByRole('heading', { name: 'This link has ended' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('PORTAL_SESSION_ENDED');
    expect(await storedCredential(page)).toBeNull();
    expect(await page.locator('body').textContent()).not.toContain(shop42.url);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('embeds: ?embed=1&accent= with #session= in one URL hides the chrome and applies the accent', async () => {
    const s = await session();
    const url = onTestApp(s.url, { embed: '1', accent: '#aa3300' });
    expect(url).toMatch(/\/console\?embed=1&accent=%23aa3300#session=whp_/);
    const { context, page, problems } = await newConsolePage(browser);
    await page.goto(url);
    await page.getByText('1 endpoint', { exact: true }).waitFor();
    expect(await rowUrls(page)).toEqual([shop42.url]);
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await inPage(page, "document.documentElement.style.getPropertyValue('--accent')")).toBe('#aa3300');
    expect(await inPage(page, 'location.search')).toBe('?embed=1&accent=%23aa3300');
    expect(await inPage(page, 'location.hash')).toBe('');
    // The query string holds across pages; the fragment token does not come back.
    await page.getByRole('link', { name: shop42.url }).click();
    await page.getByRole('heading', { name: shop42.url }).waitFor();
    expect(await inPage(page, 'location.search')).toBe('?embed=1&accent=%23aa3300');
    expect(await inPage(page, 'location.href')).not.toContain('whp_');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'portal-embedded');
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });
});
