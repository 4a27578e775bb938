import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delivery's body is kept as the JSON text sent (json, not jsonb): jsonb reorders an object's members, so a
 * receiver got {"kind":..,"marker":..} for a publisher's {"marker":..,"kind":..}. Nothing queries into it; the
 * event's payload, which can be queried, stays jsonb. Rows stored before keep jsonb's order. A reducer is kept as
 * the JSON text saved too, so its output has the reducer's own member order.
 */
export class DeliveryBodyJsonText1796185278962 implements MigrationInterface {
  name = 'DeliveryBodyJsonText1796185278962';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "deliveries" ALTER COLUMN "payload" TYPE json USING "payload"::json`);
    await queryRunner.query(`ALTER TABLE "endpoint_filters" ALTER COLUMN "reducer" TYPE json USING "reducer"::json`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "endpoint_filters" ALTER COLUMN "reducer" TYPE jsonb USING "reducer"::jsonb`);
    await queryRunner.query(`ALTER TABLE "deliveries" ALTER COLUMN "payload" TYPE jsonb USING "payload"::jsonb`);
  }
}
