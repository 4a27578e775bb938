import { useState } from 'react';
import { useMutation } from 'urql';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorDisplay } from '../../components/error-display';
import { BULK_DELETE, BULK_REPROCESS, DELETE_ALL, DELETE_WORD, EventFilter, TrackedJobView } from './inbound.graphql';
import { TrackedJobProgress } from './tracked-job-progress';

type Kind = 'reprocess' | 'delete' | 'deleteAll';
type Scope = { ids: string[] } | { filter: EventFilter };
interface Pending {
  kind: Kind;
  scope: Scope;
  count: number;
}

const selectionInput = (integrationId: string, scope: Scope) =>
  'ids' in scope ? { eventIds: scope.ids } : { applyToAll: true, integrationId, filter: scope.filter };

const TITLE: Record<Kind, string> = {
  reprocess: 'Reprocess events?',
  delete: 'Delete events?',
  deleteAll: 'Delete every event of this integration?',
};

/**
 * Bulk reprocess and delete, of the selected ids or of everything matching the filter, and delete all. Each first
 * asks the API for a dry-run count and shows it in the confirmation; deletions need YES typed (the API checks too).
 */
export function InboundBulkActions(props: {
  integrationId: string;
  selected: string[];
  filter: EventFilter;
  onChanged: () => void;
}) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [job, setJob] = useState<TrackedJobView | null>(null);
  const [reprocessState, reprocess] = useMutation<{
    bulkReprocessInboundEvents: { affected: number; trackedJob: TrackedJobView | null };
  }>(BULK_REPROCESS);
  const [deleteState, bulkDelete] = useMutation<{ bulkDeleteInboundEvents: { deleted: number } }>(BULK_DELETE);
  const [deleteAllState, deleteAll] = useMutation<{ deleteAllInboundEvents: { deleted: number } }>(DELETE_ALL);
  const busy = reprocessState.fetching || deleteState.fetching || deleteAllState.fetching;
  const { integrationId } = props;

  const dryRun = async (kind: Kind, scope: Scope): Promise<number | null> => {
    if (kind === 'reprocess') {
      const res = await reprocess({ input: { ...selectionInput(integrationId, scope), dryRun: true } });
      return res.data?.bulkReprocessInboundEvents.affected ?? null;
    }
    if (kind === 'delete') {
      const res = await bulkDelete({
        input: { ...selectionInput(integrationId, scope), dryRun: true, confirmation: '' },
      });
      return res.data?.bulkDeleteInboundEvents.deleted ?? null;
    }
    const res = await deleteAll({ id: integrationId, confirmation: '', dryRun: true });
    return res.data?.deleteAllInboundEvents.deleted ?? null;
  };

  const ask = async (kind: Kind, scope: Scope) => {
    setOutcome(null);
    const count = await dryRun(kind, scope);
    if (count !== null) setPending({ kind, scope, count });
  };

  const confirm = async () => {
    const p = pending;
    setPending(null);
    if (!p) return;
    if (p.kind === 'reprocess') {
      const res = await reprocess({ input: selectionInput(integrationId, p.scope) });
      const data = res.data?.bulkReprocessInboundEvents;
      if (data) {
        setOutcome(`Reprocessing ${data.affected} event${data.affected === 1 ? '' : 's'}.`);
        setJob(data.trackedJob);
      }
    } else if (p.kind === 'delete') {
      const res = await bulkDelete({ input: { ...selectionInput(integrationId, p.scope), confirmation: DELETE_WORD } });
      if (res.data) setOutcome(`Deleted ${res.data.bulkDeleteInboundEvents.deleted} events.`);
    } else {
      const res = await deleteAll({ id: integrationId, confirmation: DELETE_WORD, dryRun: false });
      if (res.data) setOutcome(`Deleted ${res.data.deleteAllInboundEvents.deleted} events.`);
    }
    props.onChanged();
  };

  const selectedScope: Scope = { ids: props.selected };
  const filterScope: Scope = { filter: props.filter };
  const n = props.selected.length;
  return (
    <section aria-label="Bulk actions" className="toolbar">
      <button type="button" disabled={busy || n === 0} onClick={() => void ask('reprocess', selectedScope)}>
        Reprocess selected ({n})
      </button>
      <button type="button" disabled={busy} onClick={() => void ask('reprocess', filterScope)}>
        Reprocess all matching
      </button>
      <button
        type="button"
        className="danger"
        disabled={busy || n === 0}
        onClick={() => void ask('delete', selectedScope)}
      >
        Delete selected ({n})
      </button>
      <button type="button" className="danger" disabled={busy} onClick={() => void ask('delete', filterScope)}>
        Delete all matching
      </button>
      <button type="button" className="danger" disabled={busy} onClick={() => void ask('deleteAll', filterScope)}>
        Delete all events
      </button>
      <ErrorDisplay error={reprocessState.error ?? deleteState.error ?? deleteAllState.error} />
      {outcome && (
        <p role="status" className="notice" data-testid="bulk-outcome">
          {outcome}
        </p>
      )}
      {job && <TrackedJobProgress job={job} label="Bulk reprocess progress" onFinished={props.onChanged} />}
      <ConfirmDialog
        open={pending !== null}
        title={pending ? TITLE[pending.kind] : ''}
        confirmLabel={pending?.kind === 'reprocess' ? 'Reprocess' : 'Delete'}
        danger={pending?.kind !== 'reprocess'}
        typeToConfirm={pending && pending.kind !== 'reprocess' ? DELETE_WORD : undefined}
        onCancel={() => setPending(null)}
        onConfirm={() => void confirm()}
      >
        {pending && (
          <p>
            Dry run: this {pending.kind === 'reprocess' ? 'reprocesses' : 'deletes'}{' '}
            <strong data-testid="dry-run-count">{pending.count}</strong> event{pending.count === 1 ? '' : 's'}
            {'ids' in pending.scope
              ? ' (the selected ones)'
              : pending.kind === 'deleteAll'
                ? ' (every one)'
                : ' (all matching the filter)'}
            .{pending.kind !== 'reprocess' && ' This cannot be undone.'}
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}
