/**
 * A payload, header set or response body, shown as text. Always a React text node, never HTML: a payload that
 * contains <script> or <img onerror> is displayed, not run.
 */
export function PayloadView({ value, label }: { value: unknown; label: string }) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <pre className="payload" aria-label={label} tabIndex={0}>
      {text ?? ''}
    </pre>
  );
}
