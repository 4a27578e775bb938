import { diag } from '@opentelemetry/api';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import { enableTracing } from './tracing';

export const DEFAULT_SERVICE_NAME = 'hookline';
export const ROLE_ATTRIBUTE = 'hookline.role';
const MAX_ATTRIBUTE_LENGTH = 2048;

export interface TelemetryOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT, validated by the config. Null: tracing off, no SDK loaded or started. */
  endpoint: string | null;
  role: string;
  serviceName?: string;
}

let sdk: NodeSDK | null = null;

/**
 * Starts the OpenTelemetry SDK before Nest boots (main.ts), exporting spans over OTLP/HTTP (JSON) to the
 * collector at `endpoint`. The SDK packages are loaded only here, so a process with tracing off never loads
 * them; the spans of tracing.ts then stay no-ops. No auto-instrumentation: the spans are the few made by hand
 * (README "Tracing"). The exporter posts to the operator's collector with its own HTTP client, not the outbound
 * client of deliveries: that URL is configuration, not tenant input, so the SSRF guard does not apply to it.
 */
export function startTelemetry(options: TelemetryOptions): boolean {
  if (!options.endpoint || sdk) return sdk !== null;
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  sdk = new NodeSDK({
    serviceName: options.serviceName || DEFAULT_SERVICE_NAME,
    resource: resourceFromAttributes({ [ROLE_ATTRIBUTE]: options.role }),
    // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and _TRACES_ENDPOINT, headers, timeout) itself; the batch
    // processor reads OTEL_BSP_*.
    traceExporter: new OTLPTraceExporter(),
    // Traces only: metrics stay on /metrics (Prometheus), logs on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
    // A bound on every attribute value (ours hold ids, names and error messages), unless the operator sets one.
    ...(process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT
      ? {}
      : { spanLimits: { attributeValueLengthLimit: MAX_ATTRIBUTE_LENGTH } }),
  });
  sdk.start();
  enableTracing(true);
  return true;
}

/** Flushes the spans still batched and stops the SDK (the last step of a shutdown). */
export async function shutdownTelemetry(): Promise<void> {
  const running = sdk;
  if (!running) return;
  sdk = null;
  enableTracing(false);
  try {
    await running.shutdown();
  } catch (error) {
    diag.error('telemetry shutdown failed', error);
  }
}
