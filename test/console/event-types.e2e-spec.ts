import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

const TYPES = `query { eventTypes(includeArchived: true) { name description source archived schema samplePayload } }`;
const CREATE = `mutation($input: CreateEventTypeInput!) { createEventType(input: $input) { name } }`;
const SCHEMA = { type: 'object', properties: { id: { type: 'string' }, body: { type: 'string' } }, required: ['id'] };
const BAD_SCHEMA = { type: 'object', properties: { n: { type: 'integr' } } };

describe('console: event catalog', () => {
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

  const types = async (token: string) =>
    dataOf(await gql(t.graphqlUrl, TYPES, {}, token)).eventTypes as {
      name: string;
      description: string;
      source: string;
      archived: boolean;
      samplePayload: unknown;
    }[];

  it('lists the catalog with schema and sample, creates, edits and archives a tenant type', async () => {
    const me = tenant();
    const { context, page, problems } = await newConsolePage(browser);
    await signInAt(page, t, await createApiKey(t, me.token), '/event-types');
    await page.getByRole('heading', { name: 'Event catalog' }).waitFor();
    await page.getByRole('table', { name: 'Event types' }).waitFor();
    // A built-in type, its schema and sample shown as text.
    await page.getByRole('button', { name: 'Show schema and sample of order.created' }).click();
    await page.getByLabel('Sample payload of order.created').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'event-types');

    await page.getByRole('button', { name: 'New event type' }).click();
    const form = page.getByRole('form', { name: 'New event type' });
    await form.getByLabel('Name').fill('comment.created');
    await form.getByLabel('Description').fill('A comment was posted');
    await form.getByLabel('Group').fill('comments');
    await form.getByLabel('JSON Schema (draft 2020-12)').fill(JSON.stringify(SCHEMA));
    await form.getByRole('button', { name: 'Create event type' }).click();
    await page.getByRole('status').getByText('Created comment.created.').waitFor();
    const row = page.getByTestId('event-type-row').filter({ hasText: 'comment.created' });
    await row.waitFor();
    expect(await row.innerText()).toContain('TENANT');
    const stored = (await types(me.token)).find((x) => x.name === 'comment.created');
    expect(stored).toMatchObject({ source: 'TENANT', description: 'A comment was posted', archived: false });
    // The sample generated from the schema is shown.
    await page.getByRole('button', { name: 'Show schema and sample of comment.created' }).click();
    expect(JSON.parse(await page.getByLabel('Sample payload of comment.created').innerText())).toEqual(
      stored?.samplePayload,
    );

    await row.getByRole('button', { name: 'Edit comment.created' }).click();
    const edit = page.getByRole('form', { name: 'Edit comment.created' });
    await edit.getByLabel('Description').fill('A comment was posted or imported');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').getByText('Saved comment.created.').waitFor();
    expect((await types(me.token)).find((x) => x.name === 'comment.created')?.description).toBe(
      'A comment was posted or imported',
    );

    await row.getByRole('button', { name: 'Archive comment.created' }).click();
    const dialog = page.getByRole('dialog', { name: 'Archive comment.created?' });
    await dialog.getByRole('button', { name: 'Archive' }).click();
    await page.getByRole('status').getByText('Archived comment.created.').waitFor();
    await row.waitFor({ state: 'detached' });
    expect((await types(me.token)).find((x) => x.name === 'comment.created')?.archived).toBe(true);
    await page.getByLabel('Show archived').check();
    await row.getByText('ARCHIVED').waitFor();
    await row.getByRole('button', { name: 'Unarchive comment.created' }).click();
    await page.getByRole('status').getByText('Unarchived comment.created.').waitFor();
    expect((await types(me.token)).find((x) => x.name === 'comment.created')?.archived).toBe(false);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('shows the API error, with its message, for an invalid schema; nothing is created', async () => {
    const me = tenant();
    const direct = await gql(
      t.graphqlUrl,
      CREATE,
      {
        input: { name: 'bad.schema', description: 'x', schema: BAD_SCHEMA },
      },
      me.token,
    );
    const apiMessage = direct.errors?.[0]?.message ?? '';
    expect(apiMessage).toContain('input.schema');

    const { context, page, problems } = await newConsolePage(browser);
    await signInAt(page, t, await createApiKey(t, me.token), '/event-types');
    await page.getByRole('button', { name: 'New event type' }).click();
    const form = page.getByRole('form', { name: 'New event type' });
    await form.getByLabel('Name').fill('bad.schema');
    await form.getByLabel('Description').fill('x');
    await form.getByLabel('JSON Schema (draft 2020-12)').fill(JSON.stringify(BAD_SCHEMA));
    await form.getByRole('button', { name: 'Create event type' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    const shown = await alert.innerText();
    expect(shown).toContain(apiMessage);
    expect(shown).toContain('BAD_USER_INPUT');
    // Text that is not JSON is refused before any request.
    await form.getByLabel('JSON Schema (draft 2020-12)').fill('{ not json');
    await form.getByRole('button', { name: 'Create event type' }).click();
    await form.getByText('Schema is not valid JSON', { exact: false }).waitFor();
    expect((await types(me.token)).some((x) => x.name === 'bad.schema')).toBe(false);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'event-types-error');
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('imports the webhooks of an OpenAPI document, previewing with a dry run first', async () => {
    const me = tenant();
    const openApi = readFileSync(join(__dirname, '../fixtures/partner-webhooks.openapi.yaml'), 'utf8');
    const expected = ['COMPLETE_TRANSACTION', 'NEW_CONSUMER_ORDER', 'NEW_MEMBER', 'UPDATE_CONSUMER_ORDER'];
    const { context, page, problems } = await newConsolePage(browser);
    await signInAt(page, t, await createApiKey(t, me.token), '/event-types');
    await page.getByRole('button', { name: 'Import from OpenAPI' }).click();
    const form = page.getByRole('form', { name: 'Import event types' });
    await form.getByLabel('OpenAPI 3.1 document', { exact: false }).fill(openApi);
    await form.getByRole('button', { name: 'Preview (dry run)' }).click();
    await form.getByText('Dry run: nothing was changed.', { exact: false }).waitFor();
    const preview = await form.getByRole('status').innerText();
    for (const name of expected) expect(preview).toContain(name);
    expect((await types(me.token)).filter((x) => x.source === 'TENANT')).toEqual([]);

    await form.getByRole('button', { name: 'Import', exact: true }).click();
    await form.getByText('Imported:').waitFor();
    const tenantTypes = (await types(me.token)).filter((x) => x.source === 'TENANT').map((x) => x.name);
    expect(tenantTypes.sort()).toEqual(expected);
    for (const name of expected) await page.getByTestId('event-type-row').filter({ hasText: name }).waitFor();
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });
});
