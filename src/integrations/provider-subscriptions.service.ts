import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../auth/audit.service';
import { Principal, systemPrincipal } from '../auth/principal';
import { TrackedJobEntity } from '../tracked-jobs/tracked-job.entity';
import { TrackedJobContext, TrackedJobsService } from '../tracked-jobs/tracked-jobs.service';
import { IntegrationEntity } from './integration.entity';
import { ProviderRequestFailedError, SubscriptionsNotManagedError, UnknownEventCodeError } from './integrations.errors';
import { IntegrationsService } from './integrations.service';
import { ProviderSubscription } from './provider-subscription.model';
import { getProviderAdapter, type ProviderAdapter } from './providers';
import { TemuApiClient } from './providers/temu/temu-api.client';
import { TemuClientFactory } from './temu-client.factory';
import { TemuWebhookEntity } from './temu-webhook.entity';

export const ENABLE_ALL_SUBSCRIPTIONS_JOB = 'provider_subscriptions.enable_all';

/** Providers whose event subscriptions are managed through their API (the others are configured on their side). */
const MANAGED_PROVIDER = 'temu';

interface EnableAllParams {
  integrationId: string;
}

/**
 * Temu event subscriptions: Temu is the truth, temu_webhooks mirrors what it accepted. The mirror is written
 * only after Temu said yes, so a refused change leaves it as it was.
 */
@Injectable()
export class ProviderSubscriptionsService implements OnModuleInit {
  constructor(
    @InjectRepository(TemuWebhookEntity) private readonly mirror: Repository<TemuWebhookEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly integrations: IntegrationsService,
    private readonly temuClients: TemuClientFactory,
    private readonly trackedJobs: TrackedJobsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.trackedJobs.registerHandler(ENABLE_ALL_SUBSCRIPTIONS_JOB, (ctx) => this.runEnableAll(ctx));
  }

  /** Every code the adapter knows; subscribed per the mirror (always false for providers configured on their side). */
  async list(tenantId: string, integrationId: string): Promise<ProviderSubscription[]> {
    const integration = await this.integrations.find(tenantId, integrationId);
    const rows = await this.mirror.findBy({ tenantId, integrationId });
    const byCode = new Map(rows.map((row) => [row.eventCode, row]));
    return this.adapter(integration)
      .eventCodes()
      .map(({ code, description }) => ({
        eventCode: code,
        description,
        subscribed: byCode.has(code),
        updatedAt: byCode.get(code)?.updatedAt ?? null,
      }));
  }

  async enable(principal: Principal, integrationId: string, eventCode: string): Promise<ProviderSubscription> {
    const { integration, client, description } = await this.prepare(principal.tenantId, integrationId, eventCode);
    await this.callTemu(client, eventCode, true);
    const row = await this.dataSource.transaction(async (manager) => {
      const saved = await this.upsertMirror(integration, eventCode, manager.getRepository(TemuWebhookEntity));
      await this.audit.record(
        principal,
        'provider_subscription.enabled',
        { type: 'integration', id: integrationId },
        { eventCode },
        manager,
      );
      return saved;
    });
    return { eventCode, description, subscribed: true, updatedAt: row.updatedAt };
  }

  async disable(principal: Principal, integrationId: string, eventCode: string): Promise<ProviderSubscription> {
    const { client, description } = await this.prepare(principal.tenantId, integrationId, eventCode);
    await this.callTemu(client, eventCode, false);
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(TemuWebhookEntity).delete({ tenantId: principal.tenantId, integrationId, eventCode });
      await this.audit.record(
        principal,
        'provider_subscription.disabled',
        { type: 'integration', id: integrationId },
        { eventCode },
        manager,
      );
    });
    return { eventCode, description, subscribed: false, updatedAt: null };
  }

  /** Returns at once; the worker subscribes each code in turn. Credentials are checked now so a hopeless job is never queued. */
  async enableAll(principal: Principal, integrationId: string): Promise<TrackedJobEntity> {
    const { integration, secrets } = await this.integrations.findWithSecrets(principal.tenantId, integrationId);
    this.requireManaged(integration);
    this.temuClients.create(secrets);
    const params: EnableAllParams = { integrationId };
    const job = await this.trackedJobs.start(principal.tenantId, ENABLE_ALL_SUBSCRIPTIONS_JOB, { ...params });
    await this.audit.record(
      principal,
      'provider_subscription.enable_all_started',
      { type: 'integration', id: integrationId },
      { trackedJobId: job.id },
    );
    return job;
  }

  /** One code failing is recorded in the result; the others still go ahead. */
  private async runEnableAll(ctx: TrackedJobContext): Promise<Record<string, unknown>> {
    const { tenantId } = ctx.job;
    const { integrationId } = ctx.job.params as unknown as EnableAllParams;
    const { integration, secrets } = await this.integrations.findWithSecrets(tenantId, integrationId);
    const client = this.temuClients.create(secrets);
    const codes = this.adapter(integration)
      .eventCodes()
      .map((entry) => entry.code);
    const enabled: string[] = [];
    const failed: { eventCode: string; error: string }[] = [];
    await ctx.progress(0, codes.length);
    for (const [index, eventCode] of codes.entries()) {
      try {
        await this.callTemu(client, eventCode, true);
        await this.upsertMirror(integration, eventCode, this.mirror);
        enabled.push(eventCode);
      } catch (error) {
        failed.push({ eventCode, error: error instanceof Error ? error.message : String(error) });
      }
      await ctx.progress(index + 1, codes.length);
    }
    await this.audit.record(
      systemPrincipal(tenantId),
      'provider_subscription.enable_all_finished',
      { type: 'integration', id: integrationId },
      { enabled, failed },
    );
    return { enabled, failed };
  }

  private async prepare(
    tenantId: string,
    integrationId: string,
    eventCode: string,
  ): Promise<{ integration: IntegrationEntity; client: TemuApiClient; description: string | null }> {
    const { integration, secrets } = await this.integrations.findWithSecrets(tenantId, integrationId);
    this.requireManaged(integration);
    const known = this.adapter(integration)
      .eventCodes()
      .find((entry) => entry.code === eventCode);
    if (!known) throw new UnknownEventCodeError(integration.provider);
    return { integration, client: this.temuClients.create(secrets), description: known.description };
  }

  /** Temu's refusal (or an unreachable Temu) is reported with its message as UNPROCESSABLE. */
  private async callTemu(client: TemuApiClient, eventCode: string, enable: boolean): Promise<void> {
    try {
      await client.updateMessageSubscription([{ code: eventCode, enable }]);
    } catch (error) {
      throw new ProviderRequestFailedError(error instanceof Error ? error.message : String(error), eventCode);
    }
  }

  private async upsertMirror(
    integration: IntegrationEntity,
    eventCode: string,
    repo: Repository<TemuWebhookEntity>,
  ): Promise<TemuWebhookEntity> {
    await repo
      .createQueryBuilder()
      .insert()
      .values({ tenantId: integration.tenantId, integrationId: integration.id, eventCode })
      .orUpdate(['updated_at'], ['integration_id', 'event_code'])
      .execute();
    return repo.findOneByOrFail({ tenantId: integration.tenantId, integrationId: integration.id, eventCode });
  }

  private requireManaged(integration: IntegrationEntity): void {
    if (integration.provider !== MANAGED_PROVIDER) {
      throw new SubscriptionsNotManagedError(integration.provider);
    }
  }

  private adapter(integration: IntegrationEntity): ProviderAdapter {
    const adapter = getProviderAdapter(integration.provider);
    if (!adapter) throw new Error(`integration ${integration.id} names unknown provider ${integration.provider}`);
    return adapter;
  }
}
