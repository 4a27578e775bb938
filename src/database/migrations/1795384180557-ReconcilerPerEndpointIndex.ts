import { MigrationInterface, QueryRunner } from "typeorm";

export class ReconcilerPerEndpointIndex1795384180557 implements MigrationInterface {
    name = 'ReconcilerPerEndpointIndex1795384180557'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "idx_deliveries_endpoint_due" ON "deliveries"  ("endpoint_id", "next_attempt_at") WHERE status IN ('PENDING','RETRYING')`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_deliveries_endpoint_due"`);
    }

}
