import { Browser } from 'playwright-core';
import { createTestApp, TestApp } from '../support/app';
import {
  createApiKey,
  ensureConsole,
  launchBrowser,
  newConsolePage,
  saveScreenshot,
  seriousA11yViolations,
  storedCredential,
  inPage,
} from '../support/browser';
import { tenant } from '../support/tokens';

describe('console: signing in', () => {
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

  it('signs in with a pasted API key, keeps it in sessionStorage only, and signs out', async () => {
    const me = tenant();
    const key = await createApiKey(t, me.token);
    const { context, page, problems } = await newConsolePage(browser);
    await page.goto(`${t.url}/console`);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'sign-in');
    // A malformed credential is refused before any request.
    await page.getByLabel('API key or admin JWT').fill('two words');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('one line, no spaces');
    expect(await storedCredential(page)).toBeNull();
    // With the keyboard only: the field takes focus, Enter submits.
    await page.getByLabel('API key or admin JWT').fill('');
    await page.getByLabel('API key or admin JWT').focus();
    await page.keyboard.type(key);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Endpoints' }).waitFor();
    expect(page.url()).not.toContain(key);
    expect(await storedCredential(page)).toBe(key);
    expect(await inPage(page, 'localStorage.length')).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key or admin JWT').waitFor();
    expect(await storedCredential(page)).toBeNull();
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('takes #session=<token> from the fragment and strips it from the address bar', async () => {
    const me = tenant();
    const { context, page, problems } = await newConsolePage(browser);
    await page.goto(`${t.url}/console/audit?embed=1&accent=%23aa3300#session=${me.token}`);
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    expect(page.url()).not.toContain(me.token);
    expect(await storedCredential(page)).toBe(me.token);
    // ?embed=1 hides the navigation chrome; the accent is a CSS variable set through the CSSOM.
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    expect(await inPage(page, "document.documentElement.style.getPropertyValue('--accent')")).toBe('#aa3300');
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('ignores an accent that is not exactly #RRGGBB', async () => {
    const { context, page } = await newConsolePage(browser);
    await page.goto(`${t.url}/console?accent=red;background:url(x)`);
    await page.getByLabel('API key or admin JWT').waitFor();
    expect(await inPage(page, "document.documentElement.style.getPropertyValue('--accent')")).toBe('');
    await context.close();
  });
});
