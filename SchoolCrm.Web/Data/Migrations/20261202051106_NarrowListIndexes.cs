using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SchoolCrm.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class NarrowListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_List",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ListByStatus",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_List",
                table: "Leads",
                columns: new[] { "ConvertedAt", "LastNameKey", "FirstNameKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ListByStatus",
                table: "Leads",
                columns: new[] { "ConvertedAt", "StatusId", "LastNameKey", "FirstNameKey" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_List",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ListByStatus",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_List",
                table: "Leads",
                columns: new[] { "ConvertedAt", "LastNameKey", "FirstNameKey", "SearchText" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ListByStatus",
                table: "Leads",
                columns: new[] { "ConvertedAt", "StatusId", "LastNameKey", "FirstNameKey", "SearchText" });
        }
    }
}
