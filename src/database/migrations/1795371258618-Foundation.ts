import { MigrationInterface, QueryRunner } from "typeorm";

export class Foundation1795371258618 implements MigrationInterface {
    name = 'Foundation1795371258618'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" text NOT NULL, "name" text NOT NULL, "prefix" text NOT NULL, "key_hash" text NOT NULL, "permissions" text array NOT NULL DEFAULT '{}', "created_by" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_keys_hash" ON "api_keys"  ("key_hash") `);
        await queryRunner.query(`CREATE INDEX "idx_api_keys_tenant" ON "api_keys"  ("tenant_id", "created_at") `);
        await queryRunner.query(`CREATE TABLE "audit_logs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" text NOT NULL, "action" text NOT NULL, "actor_type" text NOT NULL, "actor_id" text NOT NULL, "target_type" text NOT NULL, "target_id" text, "metadata" jsonb, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1bb179d048bbc581caa3b013439" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_audit_logs_tenant_target" ON "audit_logs"  ("tenant_id", "target_id") `);
        await queryRunner.query(`CREATE INDEX "idx_audit_logs_tenant_created" ON "audit_logs"  ("tenant_id", "created_at", "id") `);
        await queryRunner.query(`CREATE TABLE "tenants" ("id" text NOT NULL DEFAULT gen_random_uuid()::text, "name" text NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_53be67a04681c66b87ee27c9321" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "idempotency_keys" ("tenant_id" text NOT NULL, "operation" text NOT NULL, "key" text NOT NULL, "fingerprint" text NOT NULL, "state" text NOT NULL, "result" jsonb, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_00d36bd1d406ba648e8927dd095" PRIMARY KEY ("tenant_id", "operation", "key"))`);
        await queryRunner.query(`CREATE INDEX "idx_idempotency_keys_expires" ON "idempotency_keys"  ("expires_at") `);
        await queryRunner.query(`CREATE TABLE "tracked_jobs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" text NOT NULL, "type" text NOT NULL, "status" text NOT NULL, "progress" integer NOT NULL DEFAULT '0', "total" integer, "params" jsonb NOT NULL DEFAULT '{}'::jsonb, "result" jsonb, "error" text, "cancel_requested" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_2e6cf4564b2aaef5920471e1541" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_tracked_jobs_status" ON "tracked_jobs"  ("status") `);
        await queryRunner.query(`CREATE INDEX "idx_tracked_jobs_tenant_created" ON "tracked_jobs"  ("tenant_id", "created_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_tracked_jobs_tenant_created"`);
        await queryRunner.query(`DROP INDEX "public"."idx_tracked_jobs_status"`);
        await queryRunner.query(`DROP TABLE "tracked_jobs"`);
        await queryRunner.query(`DROP INDEX "public"."idx_idempotency_keys_expires"`);
        await queryRunner.query(`DROP TABLE "idempotency_keys"`);
        await queryRunner.query(`DROP TABLE "tenants"`);
        await queryRunner.query(`DROP INDEX "public"."idx_audit_logs_tenant_created"`);
        await queryRunner.query(`DROP INDEX "public"."idx_audit_logs_tenant_target"`);
        await queryRunner.query(`DROP TABLE "audit_logs"`);
        await queryRunner.query(`DROP INDEX "public"."idx_api_keys_tenant"`);
        await queryRunner.query(`DROP INDEX "public"."uq_api_keys_hash"`);
        await queryRunner.query(`DROP TABLE "api_keys"`);
    }

}
