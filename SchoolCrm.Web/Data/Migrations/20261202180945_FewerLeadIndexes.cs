using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SchoolCrm.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class FewerLeadIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_ConvertedAt_Mobile",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ConvertedAt_TaxCode",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_List",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ListByStatus",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_CustomFieldValues_StudentId",
                table: "CustomFieldValues");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_List",
                table: "Leads",
                columns: new[] { "ConvertedAt", "LastNameKey", "FirstNameKey", "StatusId", "SearchText" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomFieldValues_StudentId",
                table: "CustomFieldValues",
                column: "StudentId",
                filter: "\"StudentId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_List",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_CustomFieldValues_StudentId",
                table: "CustomFieldValues");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ConvertedAt_Mobile",
                table: "Leads",
                columns: new[] { "ConvertedAt", "Mobile" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ConvertedAt_TaxCode",
                table: "Leads",
                columns: new[] { "ConvertedAt", "TaxCode" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_List",
                table: "Leads",
                columns: new[] { "ConvertedAt", "LastNameKey", "FirstNameKey", "SearchText" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ListByStatus",
                table: "Leads",
                columns: new[] { "ConvertedAt", "StatusId", "LastNameKey", "FirstNameKey", "SearchText" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomFieldValues_StudentId",
                table: "CustomFieldValues",
                column: "StudentId");
        }
    }
}
