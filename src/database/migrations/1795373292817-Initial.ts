import { MigrationInterface, QueryRunner } from "typeorm";

export class Initial1795373292817 implements MigrationInterface {
    name = 'Initial1795373292817'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" text NOT NULL, "name" text NOT NULL, "prefix" text NOT NULL, "key_hash" text NOT NULL, "permissions" text array NOT NULL DEFAULT '{}', "created_by" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_keys_hash" ON "api_keys"  ("key_hash") `);
        await queryRunner.query(`CREATE INDEX "idx_api_keys_tenant" ON "api_keys"  ("tenant_id", "created_at") `);
        await queryRunner.query(`CREATE TABLE "audit_logs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" text NOT NULL, "action" text NOT NULL, "actor_type" text NOT NULL, "actor_id" text NOT NULL, "target_type" text NOT NULL, "target_id" text, "metadata" jsonb, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1bb179d048bbc581caa3b013439" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_audit_logs_tenant_target" ON "audit_logs"  ("tenant_id", "target_id") `);
        await queryRunner.query(`CREATE INDEX "idx_audit_logs_tenant_created" ON "audit_logs"  ("tenant_id", "created_at", "id") `);
        await queryRunner.query(`CREATE TABLE "tenants" ("id" text NOT NULL, "name" text NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_53be67a04681c66b87ee27c9321" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "idempotency_keys" ("tenant_id" text NOT NULL, "operation" text NOT NULL, "key" text NOT NULL, "fingerprint" text NOT NULL, "state" text NOT NULL, "result" jsonb, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_00d36bd1d406ba648e8927dd095" PRIMARY KEY ("tenant_id", "operation", "key"))`);
        await queryRunner.query(`CREATE INDEX "idx_idempotency_keys_expires" ON "idempotency_keys"  ("expires_at") `);
        await queryRunner.query(`CREATE TABLE "tracked_jobs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" text NOT NULL, "type" text NOT NULL, "status" text NOT NULL, "progress" integer NOT NULL DEFAULT '0', "total" integer, "params" jsonb NOT NULL DEFAULT '{}', "result" jsonb, "error" text, "cancel_requested" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_2e6cf4564b2aaef5920471e1541" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_tracked_jobs_status" ON "tracked_jobs"  ("status") `);
        await queryRunner.query(`CREATE INDEX "idx_tracked_jobs_tenant_created" ON "tracked_jobs"  ("tenant_id", "created_at") `);
        await queryRunner.query(`CREATE TABLE "endpoints" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" text NOT NULL, "url" text NOT NULL, "description" text, "event_types" text array NOT NULL DEFAULT '{}', "channels" text array NOT NULL DEFAULT '{}', "is_active" boolean NOT NULL DEFAULT true, "disabled_reason" text, "health" text NOT NULL DEFAULT 'HEALTHY', "consecutive_failures" integer NOT NULL DEFAULT '0', "first_failure_at" TIMESTAMP WITH TIME ZONE, "last_success_at" TIMESTAMP WITH TIME ZONE, "disable_at" TIMESTAMP WITH TIME ZONE, "verified_at" TIMESTAMP WITH TIME ZONE, "rate_limit_per_second" integer, "headers" jsonb, "metadata" jsonb, "secret_encrypted" text NOT NULL, "previous_secret_encrypted" text, "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_70835610dfa54ad5d990e02f70a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_endpoints_tenant_created" ON "endpoints"  ("tenant_id", "created_at", "id") `);
        await queryRunner.query(`CREATE TABLE "events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" text NOT NULL, "event_type" text NOT NULL, "payload" jsonb NOT NULL, "channels" text array NOT NULL DEFAULT '{}', "ordering_key" text, "idempotency_key" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_40731c7151fe4be3116e45ddf73" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_events_tenant_type" ON "events"  ("tenant_id", "event_type") `);
        await queryRunner.query(`CREATE INDEX "idx_events_tenant_created" ON "events"  ("tenant_id", "created_at", "id") `);
        await queryRunner.query(`CREATE TABLE "deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "tenant_id" text NOT NULL, "endpoint_id" uuid NOT NULL, "event_id" uuid NOT NULL, "event_type" text NOT NULL, "status" text NOT NULL, "attempt_count" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "last_response_status" integer, "last_response_time_ms" integer, "last_error" text, "replay_of_id" uuid, "is_test" boolean NOT NULL DEFAULT false, "ordering_key" text, "payload" jsonb NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a6ef225c5c5f0974e503bfb731f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_deliveries_held" ON "deliveries"  ("endpoint_id", "seq") WHERE status = 'HELD'`);
        await queryRunner.query(`CREATE INDEX "idx_deliveries_lane" ON "deliveries"  ("endpoint_id", "ordering_key", "seq") WHERE ordering_key IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "idx_deliveries_due" ON "deliveries"  ("next_attempt_at") WHERE status IN ('PENDING','RETRYING','IN_FLIGHT')`);
        await queryRunner.query(`CREATE INDEX "idx_deliveries_event" ON "deliveries"  ("event_id") `);
        await queryRunner.query(`CREATE INDEX "idx_deliveries_endpoint_created" ON "deliveries"  ("endpoint_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "idx_deliveries_tenant_created" ON "deliveries"  ("tenant_id", "created_at", "id") `);
        await queryRunner.query(`CREATE TABLE "delivery_attempts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "delivery_id" uuid NOT NULL, "tenant_id" text NOT NULL, "endpoint_id" uuid NOT NULL, "attempt_number" integer NOT NULL, "started_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "response_status" integer, "response_time_ms" integer, "response_body" text, "error" text, "success" boolean NOT NULL, CONSTRAINT "PK_41eba4eb5401d72860f7cd9a7ac" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_attempts_endpoint_started" ON "delivery_attempts"  ("endpoint_id", "started_at") `);
        await queryRunner.query(`CREATE INDEX "idx_attempts_tenant_started" ON "delivery_attempts"  ("tenant_id", "started_at") `);
        await queryRunner.query(`CREATE INDEX "idx_attempts_delivery" ON "delivery_attempts"  ("delivery_id", "attempt_number") `);
        await queryRunner.query(`CREATE TABLE "event_types" ("name" text NOT NULL, "description" text NOT NULL, "schema" jsonb, "sample_payload" jsonb NOT NULL, "archived" boolean NOT NULL DEFAULT false, "operational" boolean NOT NULL DEFAULT false, "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d5110ab69f4aacfe41fecdf4fcd" PRIMARY KEY ("name"))`);
        await queryRunner.query(`CREATE TABLE "endpoint_filters" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" text NOT NULL, "endpoint_id" uuid NOT NULL, "event_type" text NOT NULL, "filter" jsonb, "reducer" jsonb, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c162194763b40d2a298608ca79a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_endpoint_filters_tenant" ON "endpoint_filters"  ("tenant_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_endpoint_filters_endpoint_type" ON "endpoint_filters"  ("endpoint_id", "event_type") `);
        await queryRunner.query(`ALTER TABLE "deliveries" ADD CONSTRAINT "FK_545cafb438b60f8304ef4dd6508" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "deliveries" ADD CONSTRAINT "FK_6a9b04f909fedcc6438b48b90c1" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "delivery_attempts" ADD CONSTRAINT "FK_a9d7e7212c87084249a641ab455" FOREIGN KEY ("delivery_id") REFERENCES "deliveries"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "endpoint_filters" ADD CONSTRAINT "FK_be288a8aa63b3f9be7f7631d5c6" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "endpoint_filters" DROP CONSTRAINT "FK_be288a8aa63b3f9be7f7631d5c6"`);
        await queryRunner.query(`ALTER TABLE "delivery_attempts" DROP CONSTRAINT "FK_a9d7e7212c87084249a641ab455"`);
        await queryRunner.query(`ALTER TABLE "deliveries" DROP CONSTRAINT "FK_6a9b04f909fedcc6438b48b90c1"`);
        await queryRunner.query(`ALTER TABLE "deliveries" DROP CONSTRAINT "FK_545cafb438b60f8304ef4dd6508"`);
        await queryRunner.query(`DROP INDEX "public"."uq_endpoint_filters_endpoint_type"`);
        await queryRunner.query(`DROP INDEX "public"."idx_endpoint_filters_tenant"`);
        await queryRunner.query(`DROP TABLE "endpoint_filters"`);
        await queryRunner.query(`DROP TABLE "event_types"`);
        await queryRunner.query(`DROP INDEX "public"."idx_attempts_delivery"`);
        await queryRunner.query(`DROP INDEX "public"."idx_attempts_tenant_started"`);
        await queryRunner.query(`DROP INDEX "public"."idx_attempts_endpoint_started"`);
        await queryRunner.query(`DROP TABLE "delivery_attempts"`);
        await queryRunner.query(`DROP INDEX "public"."idx_deliveries_tenant_created"`);
        await queryRunner.query(`DROP INDEX "public"."idx_deliveries_endpoint_created"`);
        await queryRunner.query(`DROP INDEX "public"."idx_deliveries_event"`);
        await queryRunner.query(`DROP INDEX "public"."idx_deliveries_due"`);
        await queryRunner.query(`DROP INDEX "public"."idx_deliveries_lane"`);
        await queryRunner.query(`DROP INDEX "public"."idx_deliveries_held"`);
        await queryRunner.query(`DROP TABLE "deliveries"`);
        await queryRunner.query(`DROP INDEX "public"."idx_events_tenant_created"`);
        await queryRunner.query(`DROP INDEX "public"."idx_events_tenant_type"`);
        await queryRunner.query(`DROP TABLE "events"`);
        await queryRunner.query(`DROP INDEX "public"."idx_endpoints_tenant_created"`);
        await queryRunner.query(`DROP TABLE "endpoints"`);
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
