import { MigrationInterface, QueryRunner } from "typeorm";

export class InboundJsonText1796159867691 implements MigrationInterface {
    name = 'InboundJsonText1796159867691'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "inbound_events" ADD "json_text" text`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "inbound_events" DROP COLUMN "json_text"`);
    }

}
