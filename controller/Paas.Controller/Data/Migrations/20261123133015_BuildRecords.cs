using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paas.Controller.Data.Migrations
{
    /// <inheritdoc />
    public partial class BuildRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Failure",
                table: "builds",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Log",
                table: "builds",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Phases",
                table: "builds",
                type: "jsonb",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "builds",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "succeeded");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Failure",
                table: "builds");

            migrationBuilder.DropColumn(
                name: "Log",
                table: "builds");

            migrationBuilder.DropColumn(
                name: "Phases",
                table: "builds");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "builds");
        }
    }
}
