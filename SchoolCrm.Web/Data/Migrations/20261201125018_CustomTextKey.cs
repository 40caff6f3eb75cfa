using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SchoolCrm.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CustomTextKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TextKey",
                table: "CustomFieldValues",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ConvertedAt",
                table: "Leads",
                column: "ConvertedAt");

            migrationBuilder.CreateIndex(
                name: "IX_CustomFieldValues_CustomFieldId_BoolValue_LeadId",
                table: "CustomFieldValues",
                columns: new[] { "CustomFieldId", "BoolValue", "LeadId" },
                filter: "\"BoolValue\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_CustomFieldValues_CustomFieldId_DateValue_LeadId",
                table: "CustomFieldValues",
                columns: new[] { "CustomFieldId", "DateValue", "LeadId" },
                filter: "\"DateValue\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_CustomFieldValues_CustomFieldId_NumberValue_LeadId",
                table: "CustomFieldValues",
                columns: new[] { "CustomFieldId", "NumberValue", "LeadId" },
                filter: "\"NumberValue\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_CustomFieldValues_CustomFieldId_TextKey_LeadId",
                table: "CustomFieldValues",
                columns: new[] { "CustomFieldId", "TextKey", "LeadId" },
                filter: "\"TextKey\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_ConvertedAt",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_CustomFieldValues_CustomFieldId_BoolValue_LeadId",
                table: "CustomFieldValues");

            migrationBuilder.DropIndex(
                name: "IX_CustomFieldValues_CustomFieldId_DateValue_LeadId",
                table: "CustomFieldValues");

            migrationBuilder.DropIndex(
                name: "IX_CustomFieldValues_CustomFieldId_NumberValue_LeadId",
                table: "CustomFieldValues");

            migrationBuilder.DropIndex(
                name: "IX_CustomFieldValues_CustomFieldId_TextKey_LeadId",
                table: "CustomFieldValues");

            migrationBuilder.DropColumn(
                name: "TextKey",
                table: "CustomFieldValues");
        }
    }
}
