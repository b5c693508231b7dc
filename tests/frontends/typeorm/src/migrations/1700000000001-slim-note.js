// Misskey's layout: `migration/` (singular), plain JS, an `export class` with helpers.
export class SlimNote1700000000000 {
    name = "SlimNote1700000000000";

    async up(queryRunner) {
        const sql = `ALTER TABLE "note" DROP COLUMN "cw"`;
        await queryRunner.query(sql);
        await this.dropLegacy(queryRunner);
    }

    async down(queryRunner) {
        await this.dropLegacy(queryRunner);
        await queryRunner.query(`ALTER TABLE "note" ADD "cw" character varying(512)`);
    }

    // Called from `up` as well as `down`: it runs on the way up.
    async dropLegacy(queryRunner) {
        await queryRunner.query(`ALTER TABLE "note" DROP COLUMN "legacy"`);
    }
}
