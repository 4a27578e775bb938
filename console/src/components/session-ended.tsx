import { dismissSessionEnd, SessionEnd } from '../session';

const TITLES: Record<SessionEnd['reason'], string> = {
  PORTAL_SESSION_EXPIRED: 'This link has expired',
  PORTAL_SESSION_ENDED: 'This link has ended',
  PORTAL_SESSION_INVALID: 'This link is not valid',
};

/** Shown in place of the console once a portal session is refused: its credential is already forgotten. */
export function SessionEnded({ end }: { end: SessionEnd }) {
  return (
    <main className="sign-in">
      <h1>{TITLES[end.reason]}</h1>
      <div role="alert" className="error">
        <p>
          <strong>{end.message}</strong>
          <span className="error-code"> UNAUTHENTICATED</span>
          <span className="error-code"> ({end.reason})</span>
          {end.errorId && (
            <span className="error-id">
              {' '}
              error id <code data-testid="error-id">{end.errorId}</code>
            </span>
          )}
        </p>
      </div>
      <p>Ask the site that gave you this link for a new one. Nothing from the old link is kept in this tab.</p>
      <button type="button" onClick={dismissSessionEnd}>
        Sign in with an API key instead
      </button>
    </main>
  );
}
