import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';
import { TenantEntity } from './tenant.entity';

@Injectable()
export class TenantsService {
  /** Tenants this process has already made sure exist: saves an INSERT per request. */
  private readonly known = new Set<string>();

  constructor(@InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>) {}

  async create(name: string): Promise<TenantEntity> {
    return this.tenants.save(this.tenants.create({ id: randomUUID(), name }));
  }

  /** A tenant seen first in a valid JWT is created. */
  async ensure(tenantId: string): Promise<void> {
    if (this.known.has(tenantId)) return;
    await this.tenants.createQueryBuilder().insert().values({ id: tenantId, name: tenantId }).orIgnore().execute();
    this.known.add(tenantId);
  }

  async exists(tenantId: string): Promise<boolean> {
    return (await this.tenants.countBy({ id: tenantId })) > 0;
  }

  /** Tenant ids in id order after `after`, a page at a time (for work that visits every tenant). */
  async listIds(after: string | null, limit: number): Promise<string[]> {
    const rows = await this.tenants.find({
      select: { id: true },
      where: after === null ? {} : { id: MoreThan(after) },
      order: { id: 'ASC' },
      take: limit,
    });
    return rows.map((r) => r.id);
  }
}
