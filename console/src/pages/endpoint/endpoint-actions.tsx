import { useState } from 'react';
import { useMutation } from 'urql';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorDisplay } from '../../components/error-display';
import { SecretOnce } from '../../components/secret-once';
import { EndpointSummary } from '../../graphql/models';
import { Link, navigate } from '../../router';
import { EndpointForm, EndpointFormValues } from '../endpoints/endpoint-form';
import {
  DELETE_ENDPOINT,
  ROTATE_SECRET,
  SEND_TEST,
  TOGGLE_ENDPOINT,
  UPDATE_ENDPOINT,
  VERIFY_ENDPOINT,
} from './endpoint.graphql';

/** Edit, enable/disable, rotate the secret, verify, send a test event, delete. */
export function EndpointActions({ endpoint, onChanged }: { endpoint: EndpointSummary; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState<'rotate' | 'delete' | null>(null);
  const [rotated, setRotated] = useState<{ secret: string; until: string } | null>(null);
  const [verified, setVerified] = useState<{ verified: boolean; reason: string | null } | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [update, runUpdate] = useMutation(UPDATE_ENDPOINT);
  const [toggle, runToggle] = useMutation(TOGGLE_ENDPOINT);
  const [rotate, runRotate] = useMutation(ROTATE_SECRET);
  const [remove, runRemove] = useMutation(DELETE_ENDPOINT);
  const [verify, runVerify] = useMutation(VERIFY_ENDPOINT);
  const [test, runTest] = useMutation(SEND_TEST);
  const id = endpoint.id;

  const save = async (values: EndpointFormValues) => {
    const r = await runUpdate({ id, input: values });
    if (!r.error) {
      setEditing(false);
      onChanged();
    }
  };
  return (
    <>
      <div className="actions" role="group" aria-label="Endpoint actions">
        <button type="button" onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
          Edit
        </button>
        <button
          type="button"
          disabled={toggle.fetching}
          onClick={async () => {
            if (!(await runToggle({ id })).error) onChanged();
          }}
        >
          {endpoint.isActive ? 'Disable' : 'Enable'}
        </button>
        <button
          type="button"
          disabled={test.fetching}
          onClick={async () => {
            const r = await runTest({ endpointId: id });
            if (r.data) setSent(r.data.sendTestDelivery.id);
          }}
        >
          Send test event
        </button>
        <button
          type="button"
          disabled={verify.fetching}
          onClick={async () => {
            const r = await runVerify({ id });
            if (r.data) {
              setVerified(r.data.verifyEndpoint);
              onChanged();
            }
          }}
        >
          Verify
        </button>
        <button type="button" onClick={() => setConfirm('rotate')}>
          Rotate secret
        </button>
        <button type="button" className="danger" onClick={() => setConfirm('delete')}>
          Delete
        </button>
      </div>
      {[update, toggle, rotate, remove, verify, test].map((m, i) => (
        <ErrorDisplay key={i} error={m.error} />
      ))}
      {sent && (
        <p role="status">
          Test event sent: <Link to={`/deliveries/${sent}`}>its delivery</Link> appears in the log below.
        </p>
      )}
      {verified && (
        <p role="status" data-testid="verify-result">
          {verified.verified ? 'Verified: the endpoint answered the challenge.' : 'Not verified'}
          {verified.reason && ` — ${verified.reason}`}
        </p>
      )}
      {rotated && <SecretOnce secret={rotated.secret} graceUntil={rotated.until} onDone={() => setRotated(null)} />}
      {editing && (
        <EndpointForm
          initial={endpoint}
          submitLabel="Save endpoint"
          busy={update.fetching}
          onSubmit={save}
          onCancel={() => setEditing(false)}
        />
      )}
      <ConfirmDialog
        open={confirm === 'rotate'}
        title="Rotate the signing secret?"
        confirmLabel="Rotate secret"
        onCancel={() => setConfirm(null)}
        onConfirm={async () => {
          setConfirm(null);
          const r = await runRotate({ id });
          if (r.data) {
            const p = r.data.rotateEndpointSecret;
            setRotated({ secret: p.secret, until: p.previousSecretExpiresAt });
          }
        }}
      >
        <p>A new secret signs deliveries from now on; the current one stays valid for a grace period.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'delete'}
        title="Delete this endpoint?"
        confirmLabel="Delete endpoint"
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={async () => {
          setConfirm(null);
          if (!(await runRemove({ id })).error) navigate('/');
        }}
      >
        <p>
          <strong>{endpoint.url}</strong> will receive nothing more. This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  );
}
