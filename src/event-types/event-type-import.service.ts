import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Principal } from '../auth/principal';
import { canonicalJson } from './canonical-json';
import { ImportEventTypesResult } from './dto/import-event-types-result.model';
import { ImportEventTypesInput } from './dto/import-event-types.input';
import { EventTypeAuthoringService } from './event-type-authoring.service';
import { webhooksOf } from './openapi-webhooks';
import { TenantCatalogCache } from './tenant-catalog.cache';
import { TenantEventTypeEntity } from './tenant-event-type.entity';

/**
 * importEventTypes: each webhook of an OpenAPI 3.1 document becomes (or updates) one of the tenant's types. Every
 * type is checked before anything is written, and all are written in one transaction, so a bad entry changes
 * nothing. A type whose description, schema and sample are already the document's is left unchanged, so importing
 * the same document twice changes nothing the second time.
 */
@Injectable()
export class EventTypeImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly authoring: EventTypeAuthoringService,
    private readonly cache: TenantCatalogCache,
  ) {}

  async import(principal: Principal, input: ImportEventTypesInput): Promise<ImportEventTypesResult> {
    const drafts = webhooksOf(input.openApi).map((draft) => ({
      ...draft,
      ...this.authoring.check(draft.name, draft.schema, draft.samplePayload),
    }));
    const result: ImportEventTypesResult = { created: [], updated: [], unchanged: [] };
    await this.dataSource.transaction(async (m) => {
      const existing = await m.getRepository(TenantEventTypeEntity).find({
        where: { tenantId: principal.tenantId, name: In(drafts.map((d) => d.name)) },
      });
      const byName = new Map(existing.map((row) => [row.name, row]));
      for (const draft of drafts) {
        const row = byName.get(draft.name);
        const same =
          row &&
          row.description === draft.description &&
          canonicalJson(row.schema) === canonicalJson(draft.schema) &&
          canonicalJson(row.samplePayload) === canonicalJson(draft.samplePayload);
        const list = !row ? result.created : same ? result.unchanged : result.updated;
        list.push(draft.name);
        if (input.dryRun || same) continue;
        const { description, schema, samplePayload } = draft;
        if (row) await this.authoring.update(principal, draft.name, { description, schema, samplePayload }, m);
        else await this.authoring.create(principal, { name: draft.name, description, schema, samplePayload }, m);
      }
    });
    if (!input.dryRun && result.created.length + result.updated.length > 0)
      await this.cache.changed(principal.tenantId);
    return result;
  }
}
