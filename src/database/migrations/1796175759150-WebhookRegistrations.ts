import { MigrationInterface, QueryRunner } from "typeorm";

export class WebhookRegistrations1796175759150 implements MigrationInterface {
    name = 'WebhookRegistrations1796175759150'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "webhook_registrations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" text NOT NULL, "shop_id" text, "event_types" text array NOT NULL DEFAULT '{}', "description" text, "is_active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d3d89adeebf03a0acfa7e74c8e5" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_webhook_registrations_tenant_created" ON "webhook_registrations"  ("tenant_id", "created_at", "id") `);
        await queryRunner.query(`ALTER TABLE "endpoints" ADD "registration_id" uuid`);
        await queryRunner.query(`CREATE INDEX "idx_endpoints_tenant_registration" ON "endpoints"  ("tenant_id", "registration_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_endpoints_tenant_registration"`);
        await queryRunner.query(`ALTER TABLE "endpoints" DROP COLUMN "registration_id"`);
        await queryRunner.query(`DROP INDEX "public"."idx_webhook_registrations_tenant_created"`);
        await queryRunner.query(`DROP TABLE "webhook_registrations"`);
    }

}
