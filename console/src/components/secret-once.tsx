import { CopyButton } from './copy-button';
import { formatDate } from '../graphql/models';

/** A signing secret as the API returns it once (create, rotate): copy it now, it is not shown again. */
export function SecretOnce(props: { secret: string; graceUntil?: string | null; onDone: () => void }) {
  return (
    <div className="notice" role="region" aria-label="New signing secret">
      <p>
        <strong>Copy this signing secret now: you will not see this again.</strong>
      </p>
      <p>
        <code className="secret" data-testid="secret">
          {props.secret}
        </code>
      </p>
      {props.graceUntil && (
        <p>
          Until <time dateTime={props.graceUntil}>{formatDate(props.graceUntil)}</time> deliveries are signed with both
          the previous and the new secret.
        </p>
      )}
      <div className="actions">
        <CopyButton value={props.secret} label="Copy secret" />
        <button type="button" onClick={props.onDone}>
          I have stored it
        </button>
      </div>
    </div>
  );
}
