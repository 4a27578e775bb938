import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../scripts/console-build';
import { dataOf, gql } from './graphql-client';
import { TestApp } from './app';

/** Debian's Chromium (apt-get install chromium), driven by playwright-core: no browser download. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'console');

/** Builds dist/console when it is missing or older than console/ (cheap when it is fresh). */
export function ensureConsole(): void {
  ensureConsoleBuilt();
}

/** One headless Chromium per spec; every context gets a fresh profile, so sessionStorage starts empty. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** What a page did that a test should fail on: script errors, CSP violations, failed console calls. */
export interface PageProblems {
  errors: string[];
  cspViolations: string[];
}

export async function newConsolePage(
  browser: Browser,
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: PageProblems = { errors: [], cspViolations: [] };
  page.on('pageerror', (e) => problems.errors.push(e.message));
  page.on('console', (msg) => {
    if (process.env.CONSOLE_TEST_DEBUG) process.stderr.write(`[browser ${msg.type()}] ${msg.text()}\n`);
    if (msg.type() !== 'error') return;
    if (/Content Security Policy/i.test(msg.text())) problems.cspViolations.push(msg.text());
  });
  return { context, page, problems };
}

/** Opens the console at `path` (below /console) and signs in by pasting the credential. */
export async function signInAt(page: Page, t: TestApp, credential: string, path = ''): Promise<void> {
  await page.goto(`${t.url}/console${path}`);
  await page.getByLabel('API key or admin JWT').fill(credential);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** A new API key of the tenant (created with its admin JWT), as a user would paste it. */
export async function createApiKey(t: TestApp, adminJwt: string, permissions = ['manage_webhooks']): Promise<string> {
  const res = await gql(
    t.graphqlUrl,
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }',
    { input: { name: 'console test', permissions } },
    adminJwt,
  );
  return dataOf(res).createApiKey.key as string;
}

/** axe-core's serious and critical violations on the page as it is now (an empty list is the pass). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A full-page screenshot under test-artifacts/console/ (gitignored); returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The credential the console keeps in sessionStorage (null when signed out). */
export async function storedCredential(page: Page): Promise<unknown> {
  return page.evaluate("sessionStorage.getItem('hookline.credential')");
}

/** An expression evaluated in the page (a string: the root tsconfig has no DOM types). */
export async function inPage(page: Page, expression: string): Promise<unknown> {
  return page.evaluate(expression);
}

/** Polls `read` until it returns `expected` (what a user would wait for); fails with the last value seen. */
export async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (last === expected) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${JSON.stringify(expected)} within ${timeoutMs} ms, last saw ${JSON.stringify(last)}`);
}
