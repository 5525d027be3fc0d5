using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paas.Controller.Data.Migrations
{
    /// <inheritdoc />
    public partial class AppServices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Services",
                table: "app_settings",
                type: "jsonb",
                nullable: false,
                defaultValue: "{}"); // existing apps have no services
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Services",
                table: "app_settings");
        }
    }
}
