using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SchoolCrm.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReminderSchedule : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ScheduledReminders",
                columns: table => new
                {
                    TaskId = table.Column<int>(type: "INTEGER", nullable: false),
                    DueUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DeliveredAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScheduledReminders", x => x.TaskId);
                    table.ForeignKey(
                        name: "FK_ScheduledReminders_Tasks_TaskId",
                        column: x => x.TaskId,
                        principalTable: "Tasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ScheduledReminders_Waiting",
                table: "ScheduledReminders",
                column: "DueUtc",
                filter: "\"DeliveredAt\" IS NULL");

            // Tasks saved before reminders were sent get their schedule row: the ones still to come, not those
            // whose time has passed (nobody was promised them).
            migrationBuilder.Sql(
                """
                INSERT INTO "ScheduledReminders" ("TaskId", "DueUtc")
                SELECT "Id", "ReminderDueUtc" FROM "Tasks"
                WHERE "CompletedAt" IS NULL AND "ReminderDueUtc" IS NOT NULL AND "ReminderDueUtc" > strftime('%Y-%m-%d %H:%M:%S', 'now');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ScheduledReminders");
        }
    }
}
