using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SchoolCrm.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Hardening : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Students_CreatedByUserId",
                table: "Students");

            migrationBuilder.DropIndex(
                name: "IX_Students_Email",
                table: "Students");

            migrationBuilder.DropIndex(
                name: "IX_Students_FirstName",
                table: "Students");

            migrationBuilder.DropIndex(
                name: "IX_Students_LastName",
                table: "Students");

            migrationBuilder.DropIndex(
                name: "IX_Students_Mobile",
                table: "Students");

            migrationBuilder.DropIndex(
                name: "IX_Students_TaxCode",
                table: "Students");

            migrationBuilder.DropIndex(
                name: "IX_Students_UpdatedByUserId",
                table: "Students");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Address",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_AssignedToUserId",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_City",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_CompanyName",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_CreatedAt",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_CreatedByUserId",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_DateOfBirth",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Email",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_FirstName",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Gender",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ImportId",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_LastName",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_List",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ListByStatus",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Mobile",
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
                name: "IX_Leads_StatusId",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_TaxCode",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_UpdatedAt",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_UpdatedByUserId",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Zip",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_History_UserId",
                table: "History");

            migrationBuilder.DropIndex(
                name: "IX_CustomFieldValues_CustomFieldId_DateValue",
                table: "CustomFieldValues");

            migrationBuilder.DropIndex(
                name: "IX_CustomFieldValues_CustomFieldId_NumberValue",
                table: "CustomFieldValues");

            migrationBuilder.DropIndex(
                name: "IX_CustomFieldValues_CustomFieldId_OptionId",
                table: "CustomFieldValues");

            migrationBuilder.DropIndex(
                name: "IX_CustomFieldValues_CustomFieldId_StudentId",
                table: "CustomFieldValues");

            migrationBuilder.DropIndex(
                name: "IX_CustomFieldValues_CustomFieldId_TextValue",
                table: "CustomFieldValues");

            migrationBuilder.DropIndex(
                name: "IX_CustomFieldValues_OptionId",
                table: "CustomFieldValues");

            migrationBuilder.DropIndex(
                name: "IX_Comments_AuthorUserId",
                table: "Comments");

            migrationBuilder.AddColumn<string>(
                name: "AddressKey",
                table: "Students",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CityKey",
                table: "Students",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CompanyNameKey",
                table: "Students",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EmailKey",
                table: "Students",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FirstNameKey",
                table: "Students",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "LastNameKey",
                table: "Students",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProvinceKey",
                table: "Students",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "Students",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "AddressKey",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CityKey",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CompanyNameKey",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EmailKey",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FirstNameKey",
                table: "Leads",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "LastNameKey",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProvinceKey",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "Leads",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "LeadImportJournal",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ImportId = table.Column<int>(type: "INTEGER", nullable: false),
                    LeadId = table.Column<int>(type: "INTEGER", nullable: false),
                    Snapshot = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadImportJournal", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LeadImportJournal_LeadImports_ImportId",
                        column: x => x.ImportId,
                        principalTable: "LeadImports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Students_List",
                table: "Students",
                columns: new[] { "LastNameKey", "FirstNameKey", "SearchText" });

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

            migrationBuilder.CreateIndex(
                name: "IX_Leads_List",
                table: "Leads",
                columns: new[] { "ConvertedAt", "LastNameKey", "FirstNameKey", "SearchText" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ListByStatus",
                table: "Leads",
                columns: new[] { "ConvertedAt", "StatusId", "LastNameKey", "FirstNameKey", "SearchText" });

            migrationBuilder.CreateIndex(
                name: "IX_LeadImportJournal_ImportId",
                table: "LeadImportJournal",
                column: "ImportId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LeadImportJournal");

            migrationBuilder.DropIndex(
                name: "IX_Students_List",
                table: "Students");

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

            migrationBuilder.DropIndex(
                name: "IX_Leads_List",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ListByStatus",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "AddressKey",
                table: "Students");

            migrationBuilder.DropColumn(
                name: "CityKey",
                table: "Students");

            migrationBuilder.DropColumn(
                name: "CompanyNameKey",
                table: "Students");

            migrationBuilder.DropColumn(
                name: "EmailKey",
                table: "Students");

            migrationBuilder.DropColumn(
                name: "FirstNameKey",
                table: "Students");

            migrationBuilder.DropColumn(
                name: "LastNameKey",
                table: "Students");

            migrationBuilder.DropColumn(
                name: "ProvinceKey",
                table: "Students");

            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "Students");

            migrationBuilder.DropColumn(
                name: "AddressKey",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "CityKey",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "CompanyNameKey",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "EmailKey",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "FirstNameKey",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "LastNameKey",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "ProvinceKey",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Students_CreatedByUserId",
                table: "Students",
                column: "CreatedByUserId");

            migrationBuilder.CreateIndex(
                name: "IX_Students_Email",
                table: "Students",
                column: "Email");

            migrationBuilder.CreateIndex(
                name: "IX_Students_FirstName",
                table: "Students",
                column: "FirstName");

            migrationBuilder.CreateIndex(
                name: "IX_Students_LastName",
                table: "Students",
                column: "LastName");

            migrationBuilder.CreateIndex(
                name: "IX_Students_Mobile",
                table: "Students",
                column: "Mobile");

            migrationBuilder.CreateIndex(
                name: "IX_Students_TaxCode",
                table: "Students",
                column: "TaxCode");

            migrationBuilder.CreateIndex(
                name: "IX_Students_UpdatedByUserId",
                table: "Students",
                column: "UpdatedByUserId");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Address",
                table: "Leads",
                column: "Address");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_AssignedToUserId",
                table: "Leads",
                column: "AssignedToUserId");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_City",
                table: "Leads",
                column: "City");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_CompanyName",
                table: "Leads",
                column: "CompanyName");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_CreatedAt",
                table: "Leads",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_CreatedByUserId",
                table: "Leads",
                column: "CreatedByUserId");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_DateOfBirth",
                table: "Leads",
                column: "DateOfBirth");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Email",
                table: "Leads",
                column: "Email");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_FirstName",
                table: "Leads",
                column: "FirstName");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Gender",
                table: "Leads",
                column: "Gender");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ImportId",
                table: "Leads",
                column: "ImportId");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_LastName",
                table: "Leads",
                column: "LastName");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_List",
                table: "Leads",
                columns: new[] { "ConvertedAt", "LastName", "FirstName", "CompanyName", "Email", "Phone", "Mobile", "TaxCode" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ListByStatus",
                table: "Leads",
                columns: new[] { "ConvertedAt", "StatusId", "LastName", "FirstName", "CompanyName", "Email", "Phone", "Mobile", "TaxCode" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Mobile",
                table: "Leads",
                column: "Mobile");

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
                name: "IX_Leads_StatusId",
                table: "Leads",
                column: "StatusId");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_TaxCode",
                table: "Leads",
                column: "TaxCode");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_UpdatedAt",
                table: "Leads",
                column: "UpdatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_UpdatedByUserId",
                table: "Leads",
                column: "UpdatedByUserId");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Zip",
                table: "Leads",
                column: "Zip");

            migrationBuilder.CreateIndex(
                name: "IX_History_UserId",
                table: "History",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_CustomFieldValues_CustomFieldId_DateValue",
                table: "CustomFieldValues",
                columns: new[] { "CustomFieldId", "DateValue" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomFieldValues_CustomFieldId_NumberValue",
                table: "CustomFieldValues",
                columns: new[] { "CustomFieldId", "NumberValue" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomFieldValues_CustomFieldId_OptionId",
                table: "CustomFieldValues",
                columns: new[] { "CustomFieldId", "OptionId" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomFieldValues_CustomFieldId_StudentId",
                table: "CustomFieldValues",
                columns: new[] { "CustomFieldId", "StudentId" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomFieldValues_CustomFieldId_TextValue",
                table: "CustomFieldValues",
                columns: new[] { "CustomFieldId", "TextValue" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomFieldValues_OptionId",
                table: "CustomFieldValues",
                column: "OptionId");

            migrationBuilder.CreateIndex(
                name: "IX_Comments_AuthorUserId",
                table: "Comments",
                column: "AuthorUserId");
        }
    }
}
