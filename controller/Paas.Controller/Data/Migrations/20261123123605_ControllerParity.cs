using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paas.Controller.Data.Migrations
{
    /// <inheritdoc />
    public partial class ControllerParity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Cpu",
                table: "configs",
                type: "jsonb",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "Healthchecks",
                table: "configs",
                type: "jsonb",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "Memory",
                table: "configs",
                type: "jsonb",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "Registry",
                table: "configs",
                type: "jsonb",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "Tags",
                table: "configs",
                type: "jsonb",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "TerminationGracePeriod",
                table: "configs",
                type: "jsonb",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.CreateTable(
                name: "app_events",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    App = table.Column<string>(type: "text", nullable: false),
                    User = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    Message = table.Column<string>(type: "text", nullable: false),
                    Created = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_app_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "app_settings",
                columns: table => new
                {
                    AppId = table.Column<Guid>(type: "uuid", nullable: false),
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Owner = table.Column<string>(type: "text", nullable: false),
                    Maintenance = table.Column<bool>(type: "boolean", nullable: false),
                    Routable = table.Column<bool>(type: "boolean", nullable: false),
                    HttpsEnforced = table.Column<bool>(type: "boolean", nullable: false),
                    Whitelist = table.Column<string>(type: "jsonb", nullable: false),
                    Label = table.Column<string>(type: "jsonb", nullable: false),
                    Autoscale = table.Column<string>(type: "jsonb", nullable: false),
                    Created = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Updated = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_app_settings", x => x.AppId);
                    table.ForeignKey(
                        name: "FK_app_settings_apps_AppId",
                        column: x => x.AppId,
                        principalTable: "apps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "certificates",
                columns: table => new
                {
                    Name = table.Column<string>(type: "text", nullable: false),
                    Owner = table.Column<string>(type: "text", nullable: false),
                    CertificatePem = table.Column<string>(type: "text", nullable: false),
                    KeyPem = table.Column<string>(type: "text", nullable: false),
                    CommonName = table.Column<string>(type: "text", nullable: false),
                    Sans = table.Column<string>(type: "jsonb", nullable: false),
                    Fingerprint = table.Column<string>(type: "text", nullable: false),
                    Starts = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Expires = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Issuer = table.Column<string>(type: "text", nullable: false),
                    Subject = table.Column<string>(type: "text", nullable: false),
                    Created = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Updated = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_certificates", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "ssh_keys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Owner = table.Column<string>(type: "text", nullable: false),
                    Public = table.Column<string>(type: "text", nullable: false),
                    Fingerprint = table.Column<string>(type: "text", nullable: false),
                    Created = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Updated = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ssh_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hostnames",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AppId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Owner = table.Column<string>(type: "text", nullable: false),
                    CertificateName = table.Column<string>(type: "text", nullable: true),
                    Created = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Updated = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hostnames", x => x.Id);
                    table.ForeignKey(
                        name: "FK_hostnames_apps_AppId",
                        column: x => x.AppId,
                        principalTable: "apps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_hostnames_certificates_CertificateName",
                        column: x => x.CertificateName,
                        principalTable: "certificates",
                        principalColumn: "Name",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_app_events_App_Created",
                table: "app_events",
                columns: new[] { "App", "Created" });

            migrationBuilder.CreateIndex(
                name: "IX_hostnames_AppId",
                table: "hostnames",
                column: "AppId");

            migrationBuilder.CreateIndex(
                name: "IX_hostnames_CertificateName",
                table: "hostnames",
                column: "CertificateName");

            migrationBuilder.CreateIndex(
                name: "IX_hostnames_Name",
                table: "hostnames",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ssh_keys_Fingerprint",
                table: "ssh_keys",
                column: "Fingerprint",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ssh_keys_Owner_Name",
                table: "ssh_keys",
                columns: new[] { "Owner", "Name" },
                unique: true);

            // Apps made before domains and settings existed get their default domain and settings.
            migrationBuilder.Sql("""
                INSERT INTO hostnames ("Id", "AppId", "Name", "Owner", "CertificateName", "Created", "Updated")
                SELECT gen_random_uuid(), a."Id", a."Name", a."Owner", NULL, now(), now() FROM apps a
                WHERE NOT EXISTS (SELECT 1 FROM hostnames h WHERE h."Name" = a."Name");
                INSERT INTO app_settings ("AppId", "Id", "Owner", "Maintenance", "Routable", "HttpsEnforced", "Whitelist", "Label", "Autoscale", "Created", "Updated")
                SELECT a."Id", gen_random_uuid(), a."Owner", false, true, false, '[]', '{}', '{}', now(), now() FROM apps a
                WHERE NOT EXISTS (SELECT 1 FROM app_settings s WHERE s."AppId" = a."Id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "app_events");

            migrationBuilder.DropTable(
                name: "app_settings");

            migrationBuilder.DropTable(
                name: "hostnames");

            migrationBuilder.DropTable(
                name: "ssh_keys");

            migrationBuilder.DropTable(
                name: "certificates");

            migrationBuilder.DropColumn(
                name: "Cpu",
                table: "configs");

            migrationBuilder.DropColumn(
                name: "Healthchecks",
                table: "configs");

            migrationBuilder.DropColumn(
                name: "Memory",
                table: "configs");

            migrationBuilder.DropColumn(
                name: "Registry",
                table: "configs");

            migrationBuilder.DropColumn(
                name: "Tags",
                table: "configs");

            migrationBuilder.DropColumn(
                name: "TerminationGracePeriod",
                table: "configs");
        }
    }
}
