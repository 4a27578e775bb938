import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Retention: the per-tenant policy table, and the partial indexes the sweep reads (final rows only, by the time they
 * became final). Migrations run in a transaction, so these are plain CREATE INDEX; on a large live table, create
 * them by hand first with CREATE INDEX CONCURRENTLY under the same names, and this skips them (README "Retention").
 */

export class Retention1796184051901 implements MigrationInterface {
    name = 'Retention1796184051901'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "retention_policies" ("tenant_id" text NOT NULL, "deliveries_days" integer, "inbound_events_days" integer, "audit_log_days" integer, "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_retention_policies_days" CHECK ((deliveries_days IS NULL OR deliveries_days BETWEEN 1 AND 3650) AND (inbound_events_days IS NULL OR inbound_events_days BETWEEN 1 AND 3650) AND (audit_log_days IS NULL OR audit_log_days BETWEEN 1 AND 3650)), CONSTRAINT "PK_1141e16ba3e6b834422464de2c1" PRIMARY KEY ("tenant_id"))`);
        await queryRunner.query(`CREATE INDEX IF NOT EXISTS "idx_deliveries_tenant_final" ON "deliveries"  ("tenant_id", "updated_at") WHERE status IN ('SUCCEEDED','FAILED','DEAD_LETTER')`);
        await queryRunner.query(`CREATE INDEX IF NOT EXISTS "idx_inbound_events_tenant_finished" ON "inbound_events"  ("tenant_id", "updated_at") WHERE status IN ('PROCESSED','SKIPPED','FAILED')`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_inbound_events_tenant_finished"`);
        await queryRunner.query(`DROP INDEX "public"."idx_deliveries_tenant_final"`);
        await queryRunner.query(`DROP TABLE "retention_policies"`);
    }

}
