import { createHmac, randomUUID } from 'node:crypto';
import { TestApp } from './app';
import { faireOrder } from './faire';
import { dataOf, gql } from './graphql-client';

const CREATE_INTEGRATION = `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id inboundPath } }`;

export interface FaireIntegration {
  id: string;
  inboundPath: string;
  secret: string;
}

/** A Faire integration of the token's tenant, with a fresh webhook secret. */
export async function createFaireIntegration(
  t: TestApp,
  token: string,
  name = 'Faire shop',
): Promise<FaireIntegration> {
  const secret = `faire-secret-${randomUUID()}`;
  const created = dataOf(
    await gql(t.graphqlUrl, CREATE_INTEGRATION, { input: { provider: 'faire', name, webhookSecret: secret } }, token),
  ).createIntegration as { id: string; inboundPath: string };
  return { ...created, secret };
}

/**
 * A real Faire callback: the raw body signed with HMAC-SHA256 of the integration's secret (base64), as Faire sends
 * it. Returns the stored inbound event's id (the endpoint answers 202 with it).
 */
export async function postFaireCallback(
  t: TestApp,
  integration: FaireIntegration,
  body: unknown,
  topic = 'ORDER_CREATED',
): Promise<string> {
  const raw = Buffer.from(JSON.stringify(body));
  const res = await fetch(`${t.url}${integration.inboundPath}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-faire-webhook-topic': topic,
      'x-faire-hmac-sha256': createHmac('sha256', integration.secret).update(raw).digest('base64'),
    },
    body: raw,
  });
  if (res.status !== 202) throw new Error(`Faire callback answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** `count` distinct Faire orders (distinct ids, so none is dropped as a duplicate); returns their event ids. */
export async function postFaireOrders(t: TestApp, integration: FaireIntegration, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(await postFaireCallback(t, integration, faireOrder(`bo_${randomUUID().slice(0, 10)}`, 'b_console')));
  }
  return ids;
}
