import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AuditService } from '../auth/audit.service';
import { Principal } from '../auth/principal';
import { IntegrationsService } from '../integrations/integrations.service';
import { BulkDeleteInboundInput } from './dto/bulk-inbound.input';
import { InboundEventEntity } from './inbound-event.entity';
import { DeleteNotConfirmedError } from './inbound-events.errors';
import { ALIAS, integrationOf, parseSelection, Selection, selectEvents } from './inbound-selection';

export const DELETE_CONFIRMATION = 'YES';

/** Deletes stored inbound events: a selection, or all of an integration's; a dry run counts, a real one needs YES. */
@Injectable()
export class InboundDeletion {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly integrations: IntegrationsService,
    private readonly audit: AuditService,
  ) {}

  async bulkDelete(principal: Principal, input: BulkDeleteInboundInput): Promise<{ deleted: number }> {
    const selection = parseSelection(input);
    const integrationId = integrationOf(selection);
    if (integrationId) await this.integrations.find(principal.tenantId, integrationId);
    if (input.dryRun) return { deleted: await this.count(principal.tenantId, selection) };
    requireConfirmation(input.confirmation);
    return this.deleteSelected(principal, selection, 'inbound_event.bulk_deleted', {
      type: 'integration',
      id: integrationId,
    });
  }

  async deleteAll(
    principal: Principal,
    integrationId: string,
    confirmation: string,
    dryRun = false,
  ): Promise<{ deleted: number }> {
    await this.integrations.find(principal.tenantId, integrationId);
    const selection: Selection = { filter: { integrationId } };
    if (dryRun) return { deleted: await this.count(principal.tenantId, selection) };
    requireConfirmation(confirmation);
    return this.deleteSelected(principal, selection, 'inbound_event.all_deleted', {
      type: 'integration',
      id: integrationId,
    });
  }

  private count(tenantId: string, selection: Selection): Promise<number> {
    return selectEvents(this.dataSource.getRepository(InboundEventEntity), tenantId, selection).getCount();
  }

  private async deleteSelected(
    principal: Principal,
    selection: Selection,
    action: string,
    target: { type: string; id: string | null },
  ): Promise<{ deleted: number }> {
    return this.dataSource.transaction(async (manager) => {
      const ids = (
        await selectEvents(manager.getRepository(InboundEventEntity), principal.tenantId, selection)
          .select(`${ALIAS}.id`, 'id')
          .getRawMany<{ id: string }>()
      ).map((r) => r.id);
      if (ids.length > 0)
        await manager.getRepository(InboundEventEntity).delete({ tenantId: principal.tenantId, id: In(ids) });
      await this.audit.record(principal, action, target, { count: ids.length }, manager);
      return { deleted: ids.length };
    });
  }
}

function requireConfirmation(confirmation: string): void {
  if (confirmation !== DELETE_CONFIRMATION) throw new DeleteNotConfirmedError(DELETE_CONFIRMATION);
}
