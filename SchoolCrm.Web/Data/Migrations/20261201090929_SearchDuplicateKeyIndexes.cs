using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SchoolCrm.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SearchDuplicateKeyIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_EmailKey_ConvertedAt",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ImportId",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Mobile_ConvertedAt",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_TaxCode_ConvertedAt",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ConvertedAt_EmailKey",
                table: "Leads",
                columns: new[] { "ConvertedAt", "EmailKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ConvertedAt_Mobile",
                table: "Leads",
                columns: new[] { "ConvertedAt", "Mobile" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ConvertedAt_TaxCode",
                table: "Leads",
                columns: new[] { "ConvertedAt", "TaxCode" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ImportId_ConvertedAt",
                table: "Leads",
                columns: new[] { "ImportId", "ConvertedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_ConvertedAt_EmailKey",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ConvertedAt_Mobile",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ConvertedAt_TaxCode",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ImportId_ConvertedAt",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_EmailKey_ConvertedAt",
                table: "Leads",
                columns: new[] { "EmailKey", "ConvertedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ImportId",
                table: "Leads",
                column: "ImportId");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Mobile_ConvertedAt",
                table: "Leads",
                columns: new[] { "Mobile", "ConvertedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_TaxCode_ConvertedAt",
                table: "Leads",
                columns: new[] { "TaxCode", "ConvertedAt" });
        }
    }
}
