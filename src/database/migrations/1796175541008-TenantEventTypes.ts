import { MigrationInterface, QueryRunner } from "typeorm";

export class TenantEventTypes1796175541008 implements MigrationInterface {
    name = 'TenantEventTypes1796175541008'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "tenant_event_types" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" text NOT NULL, "name" text NOT NULL, "description" text NOT NULL, "schema" jsonb NOT NULL, "sample_payload" jsonb NOT NULL, "group_name" text, "deprecated" boolean NOT NULL DEFAULT false, "archived" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7cd43056fb1c629ef814c277592" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_tenant_event_types_tenant_name" ON "tenant_event_types"  ("tenant_id", "name") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."uq_tenant_event_types_tenant_name"`);
        await queryRunner.query(`DROP TABLE "tenant_event_types"`);
    }

}
