using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SchoolCrm.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Notifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "AssignmentDelivery",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 3); // existing users: popup and e-mail (NotificationDelivery.PopupAndEmail), as new ones

            migrationBuilder.AddColumn<int>(
                name: "ReminderDelivery",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 3); // existing users: popup and e-mail (NotificationDelivery.PopupAndEmail), as new ones

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    TaskId = table.Column<int>(type: "INTEGER", nullable: true),
                    TaskTitle = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TaskTypeName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    LeadName = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    DeadlineUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DueUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReadAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Notifications_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Notifications_Tasks_TaskId",
                        column: x => x.TaskId,
                        principalTable: "Tasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_TaskId",
                table: "Notifications",
                column: "TaskId");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_Unread",
                table: "Notifications",
                column: "UserId",
                filter: "\"ReadAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_UserId_Id",
                table: "Notifications",
                columns: new[] { "UserId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropColumn(
                name: "AssignmentDelivery",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "ReminderDelivery",
                table: "AspNetUsers");
        }
    }
}
