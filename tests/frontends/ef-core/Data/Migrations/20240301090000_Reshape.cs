using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Data.Migrations
{
    /// <inheritdoc />
    public partial class Reshape : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Notes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Body = table.Column<string>(maxLength: 500, nullable: true)
                });

            migrationBuilder.DropColumn(name: "Fax", table: "Customers");
            migrationBuilder.DropTable("Legacy");
            migrationBuilder.RenameColumn(name: "Name", table: "Customers", newName: "FullName");
            migrationBuilder.RenameTable(name: "Orders", newName: "Purchases");
            migrationBuilder.AlterColumn<string>(
                name: "Body",
                table: "Notes",
                maxLength: 100,
                oldClrType: typeof(string),
                oldMaxLength: 500);
            migrationBuilder.Sql(@"DELETE FROM ""Sessions"";");
            migrationBuilder.Sql($"UPDATE {schema}.\"Users\" SET \"Flag\" = 0;");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "Notes");
        }
    }
}
