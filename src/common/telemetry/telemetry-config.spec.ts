import { ConfigError, loadConfig } from '../../config/app-config';

/** The tracing variables of the config: validated at boot, so a typo fails the start instead of every export. */
describe('tracing configuration', () => {
  const base = {
    NODE_ENV: 'test',
    AUTH_JWT_SECRET: 'x'.repeat(48),
    SECRETS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  };

  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT, with the default service name', () => {
    expect(loadConfig(base)).toMatchObject({ otlpEndpoint: null, otelServiceName: 'hookline' });
    // The signal-specific URL alone does not switch tracing on.
    const tracesOnly = { ...base, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' };
    expect(loadConfig(tracesOnly).otlpEndpoint).toBeNull();
  });

  it('takes an http(s) collector URL, on loopback or a private host too', () => {
    for (const url of ['http://127.0.0.1:4318', 'https://otel-collector:4318', 'http://localhost:4318/'])
      expect(loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_SERVICE_NAME: 'hookline-eu' })).toMatchObject(
        {
          otlpEndpoint: url,
          otelServiceName: 'hookline-eu',
        },
      );
  });

  it('refuses a malformed endpoint, a non-HTTP scheme or a bad service name, naming the variable', () => {
    const cases: [Record<string, string>, string][] = [
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector:21' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: '127.0.0.1:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: `http://c/${'a'.repeat(2100)}` }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
      [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' }, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
      [{ OTEL_SERVICE_NAME: 'has spaces' }, 'OTEL_SERVICE_NAME'],
    ];
    for (const [env, variable] of cases) {
      expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, ...env })).toThrow(`Invalid environment variable ${variable}:`);
    }
    expect(() => loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(
      'Invalid environment variable OTEL_EXPORTER_OTLP_ENDPOINT: must be an http:// or https:// URL',
    );
  });
});
