import { MigrationInterface, QueryRunner } from "typeorm";

// Per-database helpers: `down` alone calls the *Down* helpers, so their drops roll back.
export class AddArchived1696413384868 implements MigrationInterface {
    name = "AddArchived1696413384868";

    public async up(queryRunner: QueryRunner): Promise<void> {
        switch (queryRunner.connection.options.type) {
            case "sqlite":
                await this.sqliteUpQueryRunner(queryRunner);
                break;
            default:
                await this.postgresUpQueryRunner(queryRunner);
        }
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        switch (queryRunner.connection.options.type) {
            case "sqlite":
                await this.sqliteDownQueryRunner(queryRunner);
                break;
            default:
                await this.postgresDownQueryRunner(queryRunner);
        }
    }

    public async postgresUpQueryRunner(queryRunner: QueryRunner): Promise<any> {
        await queryRunner.query(`ALTER TABLE "tag" ADD "isArchived" boolean DEFAULT false`);
    }

    public async postgresDownQueryRunner(queryRunner: QueryRunner): Promise<any> {
        await this.dropArchived(queryRunner);
    }

    // Reached from `down` only, through another helper.
    private async dropArchived(queryRunner: QueryRunner): Promise<any> {
        await queryRunner.query(`ALTER TABLE "tag" DROP COLUMN "isArchived"`);
    }

    public async sqliteUpQueryRunner(queryRunner: QueryRunner): Promise<any> {
        await queryRunner.query(`ALTER TABLE "tag" ADD COLUMN "isArchived" boolean DEFAULT (0)`);
    }

    public async sqliteDownQueryRunner(queryRunner: QueryRunner): Promise<any> {
        const sql = `ALTER TABLE "tag" DROP COLUMN "isArchived"`;
        await queryRunner.query(sql);
    }
}
