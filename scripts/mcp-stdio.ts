/**
 * `npm run mcp:stdio`: relays MCP over stdio (for desktop agents that only spawn processes) to a Hookline server's
 * Streamable HTTP endpoint. Every message passes through unchanged; the server does all the work, as the API key.
 *
 *   HOOKLINE_URL      the Hookline base URL, e.g. https://hookline.example.com (POST/GET <url>/mcp)
 *   HOOKLINE_API_KEY  a whk_... API key (or HOOKLINE_TOKEN, an admin JWT)
 */
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isJSONRPCRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

function fail(message: string): never {
  process.stderr.write(`mcp:stdio: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const base = process.env.HOOKLINE_URL;
  const credential = process.env.HOOKLINE_API_KEY ?? process.env.HOOKLINE_TOKEN;
  if (!base) fail('set HOOKLINE_URL to the Hookline base URL, e.g. https://hookline.example.com');
  if (!credential) fail('set HOOKLINE_API_KEY to a whk_... API key');
  let endpoint: URL;
  try {
    endpoint = new URL('/mcp', base);
  } catch {
    fail(`HOOKLINE_URL is not a URL: ${base}`);
  }

  const upstream = new StreamableHTTPClientTransport(endpoint, {
    requestInit: { headers: { authorization: `Bearer ${credential}` } },
  });
  const local = new StdioServerTransport();

  // A request that cannot reach the server still gets an answer, so the agent is not left waiting.
  const forward = (message: JSONRPCMessage) =>
    upstream.send(message).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`mcp:stdio: ${reason}\n`);
      if (isJSONRPCRequest(message)) {
        void local.send({
          jsonrpc: '2.0',
          id: message.id,
          error: { code: -32603, message: `Hookline at ${endpoint.href} did not answer: ${reason}` },
        });
      }
    });
  local.onmessage = (message) => void forward(message);
  upstream.onmessage = (message) => void local.send(message);
  upstream.onerror = (error) => process.stderr.write(`mcp:stdio: ${error.message}\n`);
  local.onclose = () => void upstream.close().finally(() => process.exit(0));

  await upstream.start();
  await local.start();
}

void main();
