/** The audit log's GraphQL document (schema.gql: auditLogs, filtered by exact action and target id). */
export const AUDIT_LOGS = `query AuditLogs($first: Int, $after: String, $action: String, $targetId: String) {
  auditLogs(first: $first, after: $after, action: $action, targetId: $targetId) {
    edges { cursor node { id action actorType actorId targetType targetId metadata createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export interface AuditEntryView {
  id: string;
  action: string;
  actorType: string;
  actorId: string;
  targetType: string;
  targetId: string | null;
  metadata: unknown;
  createdAt: string;
}

export interface AuditLogsData {
  auditLogs: {
    edges: { cursor: string; node: AuditEntryView }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/** Suggestions for the action filter (the filter is an exact match; any action string may be typed). */
export const KNOWN_ACTIONS = [
  'api_key.created',
  'api_key.revoked',
  'endpoint.created',
  'endpoint.updated',
  'endpoint.deleted',
  'endpoint.enabled',
  'endpoint.disabled',
  'endpoint.secret_rotated',
  'endpoint.secret_revealed',
  'endpoint.verified',
  'endpoint.verification_failed',
  'delivery.replayed',
  'delivery.test_sent',
  'deliveries.purged',
  'deliveries.recover_started',
  'event_type.created',
  'event_type.updated',
  'event_type.archived',
  'event_type.unarchived',
  'filter_reducer.saved',
  'filter_reducer.deleted',
  'integration.created',
  'integration.updated',
  'integration.deactivated',
  'integration.deleted',
  'inbound_event.bulk_reprocessed',
  'inbound_event.bulk_reprocess_started',
  'inbound_event.bulk_deleted',
  'inbound_event.all_deleted',
  'provider_subscription.enabled',
  'provider_subscription.disabled',
  'provider_subscription.enable_all_started',
  'provider_subscription.enable_all_finished',
  'webhook_registration.created',
  'webhook_registration.updated',
  'webhook_registration.secret_rotated',
  'webhook_registration.deleted',
];
