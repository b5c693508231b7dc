using Microsoft.EntityFrameworkCore.Migrations;

namespace App.Data.Migrations
{
    public partial class SeedAndLocals : Migration
    {
        private const string PurgeSessions = "DELETE FROM \"Sessions\"";

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DeleteData(table: "Roles", keyColumn: "Id", keyValue: 3);
            migrationBuilder.UpdateData("Roles", "Id", 1, "Name", "Administrator");
            var sql = @"ALTER TABLE ""Orders"" DROP COLUMN ""Coupon""";
            migrationBuilder.Sql(sql);
            migrationBuilder.Sql(PurgeSessions);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.InsertData(table: "Roles", columns: new[] { "Id", "Name" }, values: new object[] { 3, "Guest" });
        }
    }
}
