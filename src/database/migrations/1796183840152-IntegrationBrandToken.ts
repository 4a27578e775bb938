import { MigrationInterface, QueryRunner } from "typeorm";

/** Faire's brand token, as a SHA-256, unique across tenants where set (POST /inbound/faire looks it up). */
export class IntegrationBrandToken1796183840152 implements MigrationInterface {
    name = 'IntegrationBrandToken1796183840152'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "integrations" ADD "brand_token_hash" text`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_integrations_brand_token_hash" ON "integrations" ("brand_token_hash") WHERE brand_token_hash IS NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."uq_integrations_brand_token_hash"`);
        await queryRunner.query(`ALTER TABLE "integrations" DROP COLUMN "brand_token_hash"`);
    }

}
