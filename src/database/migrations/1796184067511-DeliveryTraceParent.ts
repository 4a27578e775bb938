import { MigrationInterface, QueryRunner } from 'typeorm';

/** The publish span's traceparent on each delivery, so attempts join the event's trace (README "Tracing"). */
export class DeliveryTraceParent1796184067511 implements MigrationInterface {
  name = 'DeliveryTraceParent1796184067511';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Nullable and without a default: a catalog-only change, no table rewrite.
    await queryRunner.query(`ALTER TABLE "deliveries" ADD "trace_parent" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "deliveries" DROP COLUMN "trace_parent"`);
  }
}
