import { useState } from 'react';

/** Copies a value to the clipboard; says so in a live region. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState<'idle' | 'ok' | 'failed'>('idle');
  return (
    <>
      <button
        type="button"
        onClick={() => {
          navigator.clipboard.writeText(value).then(
            () => setCopied('ok'),
            () => setCopied('failed'),
          );
        }}
      >
        {label}
      </button>
      <span role="status" className="muted">
        {copied === 'ok' ? ' Copied' : copied === 'failed' ? ' Copy failed: select the text and copy it' : ''}
      </span>
    </>
  );
}
