import { Fragment, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Badge } from '../../components/badges';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorDisplay } from '../../components/error-display';
import { Pager } from '../../components/pager';
import { EventTypeDetails, SourceBadge } from './event-type-details';
import { EventTypeForm } from './event-type-form';
import { EventTypeImport } from './event-type-import';
import { useViewer } from '../../viewer';
import { ARCHIVE_EVENT_TYPE, EVENT_TYPES, EventTypeView, UNARCHIVE_EVENT_TYPE } from './event-types.graphql';

const PAGE_SIZE = 20;
type Panel = { kind: 'none' } | { kind: 'create' } | { kind: 'import' } | { kind: 'edit'; type: EventTypeView };

/**
 * The event catalog: built-in, operational and the tenant's own types, each with its description, schema and
 * sample. The tenant's types can be created, edited, archived (and brought back) and imported from OpenAPI.
 * The API returns the catalog whole (it is small); the page still shows it 20 rows at a time.
 */
export default function EventTypesPage() {
  const [includeArchived, setIncludeArchived] = useState(false);
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const [panel, setPanel] = useState<Panel>({ kind: 'none' });
  const [archiving, setArchiving] = useState<EventTypeView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Catalog authoring is tenant-wide: a channel-limited portal session only reads the catalog.
  const authoring = useViewer().channel === null;
  const [{ data, fetching, error }, refetch] = useQuery<{ eventTypes: EventTypeView[] }>({
    query: EVENT_TYPES,
    variables: { includeArchived },
  });
  const [archiveState, archive] = useMutation(ARCHIVE_EVENT_TYPE);
  const [unarchiveState, unarchive] = useMutation(UNARCHIVE_EVENT_TYPE);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  const needle = search.trim().toLowerCase();
  const all = (data?.eventTypes ?? []).filter(
    (t) => needle === '' || t.name.toLowerCase().includes(needle) || t.description.toLowerCase().includes(needle),
  );
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const rows = all.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);

  const done = (message: string) => {
    setPanel({ kind: 'none' });
    setNotice(message);
    reload();
  };

  return (
    <section>
      <h1>Event catalog</h1>
      {authoring && (
        <div className="toolbar">
          <button type="button" className="primary" onClick={() => setPanel({ kind: 'create' })}>
            New event type
          </button>
          <button type="button" onClick={() => setPanel({ kind: 'import' })}>
            Import from OpenAPI
          </button>
        </div>
      )}
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {panel.kind === 'create' && (
        <EventTypeForm onDone={(name) => done(`Created ${name}.`)} onCancel={() => setPanel({ kind: 'none' })} />
      )}
      {panel.kind === 'edit' && (
        <EventTypeForm
          key={panel.type.name}
          existing={panel.type}
          onDone={(name) => done(`Saved ${name}.`)}
          onCancel={() => setPanel({ kind: 'none' })}
        />
      )}
      {panel.kind === 'import' && <EventTypeImport onImported={reload} onCancel={() => setPanel({ kind: 'none' })} />}
      <div className="filters">
        <label>
          Search
          <input
            type="search"
            value={search}
            maxLength={128}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(0);
            }}
          />
        </label>
        <label>
          <input
            type="checkbox"
            checked={includeArchived}
            onChange={(e) => {
              setIncludeArchived(e.target.checked);
              setPage(0);
            }}
          />{' '}
          Show archived
        </label>
      </div>
      <ErrorDisplay error={error ?? archiveState.error ?? unarchiveState.error} />
      {fetching && !data && <p role="status">Loading…</p>}
      {data && (
        <table aria-label="Event types">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Source</th>
              <th scope="col">Group</th>
              <th scope="col">Description</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  No event types match.
                </td>
              </tr>
            )}
            {rows.map((t) => (
              <Fragment key={t.name}>
                <tr data-testid="event-type-row">
                  <th scope="row">
                    <code>{t.name}</code>
                  </th>
                  <td>
                    <SourceBadge source={t.source} />
                    {t.deprecated && <Badge tone="warn">DEPRECATED</Badge>}
                    {t.archived && <Badge tone="off">ARCHIVED</Badge>}
                  </td>
                  <td>{t.groupName ?? ''}</td>
                  <td>{t.description}</td>
                  <td className="actions">
                    <button
                      type="button"
                      aria-expanded={open === t.name}
                      aria-label={`${open === t.name ? 'Hide' : 'Show'} schema and sample of ${t.name}`}
                      onClick={() => setOpen(open === t.name ? null : t.name)}
                    >
                      {open === t.name ? 'Hide' : 'Schema and sample'}
                    </button>
                    {authoring && t.source === 'TENANT' && (
                      <>
                        <button
                          type="button"
                          aria-label={`Edit ${t.name}`}
                          onClick={() => setPanel({ kind: 'edit', type: t })}
                        >
                          Edit
                        </button>
                        {t.archived ? (
                          <button
                            type="button"
                            aria-label={`Unarchive ${t.name}`}
                            onClick={async () => {
                              const res = await unarchive({ name: t.name });
                              if (!res.error) done(`Unarchived ${t.name}.`);
                            }}
                          >
                            Unarchive
                          </button>
                        ) : (
                          <button type="button" aria-label={`Archive ${t.name}`} onClick={() => setArchiving(t)}>
                            Archive
                          </button>
                        )}
                      </>
                    )}
                  </td>
                </tr>
                {open === t.name && (
                  <tr>
                    <td colSpan={5}>
                      <EventTypeDetails type={t} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      {data && (
        <Pager
          label="Event type pages"
          hasPrevious={current > 0}
          hasNext={current < pages - 1}
          onPrevious={() => setPage(current - 1)}
          onNext={() => setPage(current + 1)}
          pageNumber={current + 1}
        />
      )}
      <ConfirmDialog
        open={archiving !== null}
        title={`Archive ${archiving?.name ?? ''}?`}
        confirmLabel="Archive"
        danger
        onCancel={() => setArchiving(null)}
        onConfirm={async () => {
          const name = archiving?.name;
          setArchiving(null);
          if (!name) return;
          const res = await archive({ name });
          if (!res.error) done(`Archived ${name}.`);
        }}
      >
        <p>It can no longer be published or newly subscribed to. Endpoints keep the subscriptions they have.</p>
      </ConfirmDialog>
    </section>
  );
}
