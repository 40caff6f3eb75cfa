using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SchoolCrm.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class LeadImportsAndUserPreferences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ImportId",
                table: "Leads",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "LeadImports",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 260, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    QueuedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    RowsRead = table.Column<int>(type: "INTEGER", nullable: false),
                    Created = table.Column<int>(type: "INTEGER", nullable: false),
                    Updated = table.Column<int>(type: "INTEGER", nullable: false),
                    Skipped = table.Column<int>(type: "INTEGER", nullable: false),
                    Errors = table.Column<int>(type: "INTEGER", nullable: false),
                    FailureCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UndoneAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UndoneByUserId = table.Column<string>(type: "TEXT", nullable: true),
                    UndoneCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadImports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LeadImports_AspNetUsers_UndoneByUserId",
                        column: x => x.UndoneByUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LeadImports_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "UserPreferences",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserPreferences", x => new { x.UserId, x.Key });
                    table.ForeignKey(
                        name: "FK_UserPreferences_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ImportId",
                table: "Leads",
                column: "ImportId");

            migrationBuilder.CreateIndex(
                name: "IX_LeadImports_QueuedAt",
                table: "LeadImports",
                column: "QueuedAt");

            migrationBuilder.CreateIndex(
                name: "IX_LeadImports_UndoneByUserId",
                table: "LeadImports",
                column: "UndoneByUserId");

            migrationBuilder.CreateIndex(
                name: "IX_LeadImports_UserId",
                table: "LeadImports",
                column: "UserId");

            migrationBuilder.AddForeignKey(
                name: "FK_Leads_LeadImports_ImportId",
                table: "Leads",
                column: "ImportId",
                principalTable: "LeadImports",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Leads_LeadImports_ImportId",
                table: "Leads");

            migrationBuilder.DropTable(
                name: "LeadImports");

            migrationBuilder.DropTable(
                name: "UserPreferences");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ImportId",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "ImportId",
                table: "Leads");
        }
    }
}
