import { MigrationInterface, QueryRunner } from "typeorm";

export class PortalSessions1796184034645 implements MigrationInterface {
    name = 'PortalSessions1796184034645'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "portal_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" text NOT NULL, "token_hash" text NOT NULL, "permissions" text array NOT NULL, "channel" text, "created_by_api_key_id" uuid, "created_by" text NOT NULL, "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_379dfbd23aa9d6e2503df20cb3d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_portal_sessions_token_hash" ON "portal_sessions" ("token_hash") `);
        await queryRunner.query(`CREATE INDEX "idx_portal_sessions_api_key" ON "portal_sessions" ("created_by_api_key_id") `);
        await queryRunner.query(`CREATE INDEX "idx_portal_sessions_tenant_expires" ON "portal_sessions" ("tenant_id", "expires_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_portal_sessions_tenant_expires"`);
        await queryRunner.query(`DROP INDEX "public"."idx_portal_sessions_api_key"`);
        await queryRunner.query(`DROP INDEX "public"."uq_portal_sessions_token_hash"`);
        await queryRunner.query(`DROP TABLE "portal_sessions"`);
    }

}
