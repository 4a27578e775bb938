import { FormEvent, useState } from 'react';
import { isPlausibleCredential, signIn } from '../../session';

/** Paste an API key or an admin JWT; it is kept in sessionStorage for this tab only. */
export function SignInPage() {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!isPlausibleCredential(value)) {
      setProblem('Paste an API key or an admin JWT: one line, no spaces.');
      return;
    }
    signIn(value);
  };
  return (
    <main className="sign-in">
      <h1>Sign in to Hookline</h1>
      <form onSubmit={submit} noValidate>
        <label htmlFor="credential">API key or admin JWT</label>
        <input
          id="credential"
          name="credential"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-describedby="credential-help"
          aria-invalid={problem ? true : undefined}
        />
        <p id="credential-help" className="muted">
          Kept in this tab's session storage only, and sent as a bearer token. Closing the tab forgets it.
        </p>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <button type="submit" className="primary">
          Sign in
        </button>
      </form>
    </main>
  );
}
