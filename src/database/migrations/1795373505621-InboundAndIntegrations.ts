import { MigrationInterface, QueryRunner } from "typeorm";

export class InboundAndIntegrations1795373505621 implements MigrationInterface {
    name = 'InboundAndIntegrations1795373505621'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "integrations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" text NOT NULL, "provider" text NOT NULL, "name" text NOT NULL, "is_active" boolean NOT NULL DEFAULT true, "webhook_secret_encrypted" text, "credentials_encrypted" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9adcdc6d6f3922535361ce641e8" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_integrations_tenant_created" ON "integrations"  ("tenant_id", "created_at", "id") `);
        await queryRunner.query(`CREATE TABLE "inbound_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" text NOT NULL, "integration_id" uuid NOT NULL, "provider" text NOT NULL, "event_code" text NOT NULL, "external_id" text, "status" text NOT NULL DEFAULT 'PENDING', "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "json_data" jsonb NOT NULL, "headers" jsonb, "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "processed_at" TIMESTAMP(3) WITH TIME ZONE, "produced_event_id" uuid, "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b76e26fa0121da742b191b7ded0" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_inbound_events_integration_status" ON "inbound_events"  ("integration_id", "status") `);
        await queryRunner.query(`CREATE INDEX "idx_inbound_events_tenant_integration_received" ON "inbound_events"  ("tenant_id", "integration_id", "received_at", "id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_inbound_events_integration_external" ON "inbound_events"  ("integration_id", "external_id") `);
        await queryRunner.query(`CREATE TABLE "temu_webhooks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" text NOT NULL, "integration_id" uuid NOT NULL, "event_code" text NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1ca4b0288696fe44025430caa57" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_temu_webhooks_integration_code" ON "temu_webhooks"  ("integration_id", "event_code") `);
        await queryRunner.query(`ALTER TABLE "inbound_events" ADD CONSTRAINT "FK_1d44784d28aea416cd9a36d62ad" FOREIGN KEY ("integration_id") REFERENCES "integrations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "temu_webhooks" ADD CONSTRAINT "FK_c2011b763814eb21ea7b0316bb2" FOREIGN KEY ("integration_id") REFERENCES "integrations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "temu_webhooks" DROP CONSTRAINT "FK_c2011b763814eb21ea7b0316bb2"`);
        await queryRunner.query(`ALTER TABLE "inbound_events" DROP CONSTRAINT "FK_1d44784d28aea416cd9a36d62ad"`);
        await queryRunner.query(`DROP INDEX "public"."uq_temu_webhooks_integration_code"`);
        await queryRunner.query(`DROP TABLE "temu_webhooks"`);
        await queryRunner.query(`DROP INDEX "public"."uq_inbound_events_integration_external"`);
        await queryRunner.query(`DROP INDEX "public"."idx_inbound_events_tenant_integration_received"`);
        await queryRunner.query(`DROP INDEX "public"."idx_inbound_events_integration_status"`);
        await queryRunner.query(`DROP TABLE "inbound_events"`);
        await queryRunner.query(`DROP INDEX "public"."idx_integrations_tenant_created"`);
        await queryRunner.query(`DROP TABLE "integrations"`);
    }

}
