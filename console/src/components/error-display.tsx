import type { CombinedError } from 'urql';
import { describeError } from '../graphql/client';

/** An API error as the operator needs it: the message, its code and reason, and the errorId to quote to support. */
export function ErrorDisplay({ error }: { error: CombinedError | Error | string | null | undefined }) {
  if (!error) return null;
  return (
    <div role="alert" className="error">
      {describeError(error).map((e, i) => (
        <p key={i}>
          <strong>{e.message}</strong>
          {e.code && <span className="error-code"> {e.code}</span>}
          {e.reason && <span className="error-code"> ({e.reason})</span>}
          {e.errorId && (
            <span className="error-id">
              {' '}
              error id <code data-testid="error-id">{e.errorId}</code>
            </span>
          )}
        </p>
      ))}
    </div>
  );
}
