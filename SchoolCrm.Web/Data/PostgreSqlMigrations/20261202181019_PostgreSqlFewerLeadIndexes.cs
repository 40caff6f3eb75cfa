using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SchoolCrm.Web.Data.PostgreSqlMigrations
{
    /// <inheritdoc />
    public partial class PostgreSqlFewerLeadIndexes : Migration
    {
        // The list's two indexes become one: expression indexes, which EF Core's model cannot hold, so written by hand
        // (Data/PostgreSqlIndexes.cs says why the index looks so); keep these lines when the migration is generated again.

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"IX_Leads_List\"; DROP INDEX \"IX_Leads_ListByStatus\";");
            migrationBuilder.Sql(PostgreSqlIndexes.ListIndexSql);

            migrationBuilder.DropIndex(
                name: "IX_Leads_ConvertedAt_Mobile",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ConvertedAt_TaxCode",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_CustomFieldValues_StudentId",
                table: "CustomFieldValues");

            migrationBuilder.CreateIndex(
                name: "IX_CustomFieldValues_StudentId",
                table: "CustomFieldValues",
                column: "StudentId",
                filter: "\"StudentId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"IX_Leads_List\";");
            migrationBuilder.Sql(PostgreSqlListIndexes.ListIndexesSql);

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
                name: "IX_CustomFieldValues_StudentId",
                table: "CustomFieldValues",
                column: "StudentId");
        }
    }
}
