using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SchoolCrm.Web.Data.PostgreSqlMigrations
{
    /// <inheritdoc />
    public partial class NarrowListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The list indexes without the search text (expression indexes, outside EF Core's model: written by hand).
            migrationBuilder.Sql(PostgreSqlIndexes.DropListIndexesSql);
            migrationBuilder.Sql(PostgreSqlIndexes.ListIndexesSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(PostgreSqlIndexes.DropListIndexesSql);
            migrationBuilder.Sql(PostgreSqlIndexes.ListIndexesWithSearchTextSql);
        }
    }
}
