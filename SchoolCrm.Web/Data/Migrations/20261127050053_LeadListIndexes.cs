using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SchoolCrm.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class LeadListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_ConvertedAt_StatusId_LastName",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_CustomFieldValues_CustomFieldId_LeadId",
                table: "CustomFieldValues");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Address",
                table: "Leads",
                column: "Address");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_DateOfBirth",
                table: "Leads",
                column: "DateOfBirth");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Gender",
                table: "Leads",
                column: "Gender");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_List",
                table: "Leads",
                columns: new[] { "ConvertedAt", "LastName", "FirstName", "CompanyName", "Email", "Phone", "Mobile", "TaxCode" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ListByStatus",
                table: "Leads",
                columns: new[] { "ConvertedAt", "StatusId", "LastName", "FirstName", "CompanyName", "Email", "Phone", "Mobile", "TaxCode" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Phone",
                table: "Leads",
                column: "Phone");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_PrivacyConsent",
                table: "Leads",
                column: "PrivacyConsent");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Province",
                table: "Leads",
                column: "Province");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Zip",
                table: "Leads",
                column: "Zip");

            migrationBuilder.CreateIndex(
                name: "IX_CustomFieldValues_CustomFieldId_LeadId_NumberValue_DateValue_BoolValue_OptionId",
                table: "CustomFieldValues",
                columns: new[] { "CustomFieldId", "LeadId", "NumberValue", "DateValue", "BoolValue", "OptionId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_Address",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_DateOfBirth",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Gender",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_List",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ListByStatus",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Phone",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_PrivacyConsent",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Province",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Zip",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_CustomFieldValues_CustomFieldId_LeadId_NumberValue_DateValue_BoolValue_OptionId",
                table: "CustomFieldValues");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ConvertedAt_StatusId_LastName",
                table: "Leads",
                columns: new[] { "ConvertedAt", "StatusId", "LastName" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomFieldValues_CustomFieldId_LeadId",
                table: "CustomFieldValues",
                columns: new[] { "CustomFieldId", "LeadId" });
        }
    }
}
