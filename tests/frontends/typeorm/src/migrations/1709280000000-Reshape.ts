import { MigrationInterface, QueryRunner, Table, TableColumn } from "typeorm";

export class Reshape1709280000000 implements MigrationInterface {
    name = "Reshape1709280000000";

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "customer" DROP COLUMN "fax"`);
        await queryRunner.dropColumns("customer", ["pager", new TableColumn({ name: "telex", type: "text" })]);
        await queryRunner.renameColumn("customer", "name", "fullName");
        await queryRunner.changeColumn("note", "body", new TableColumn({ name: "body", type: "varchar", length: "100" }));
        await queryRunner.dropTable("legacy", true);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "customer" ADD "fax" text`);
    }
}
