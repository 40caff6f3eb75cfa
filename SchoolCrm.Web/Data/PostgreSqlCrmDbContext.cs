using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SchoolCrm.Web.Data;

/// <summary>
/// The app's model on PostgreSQL (<c>Database:Provider = PostgreSql</c>). A type of its own only so that EF Core
/// keeps a second migrations set for it (Data/PostgreSqlMigrations), as "Migrations with multiple providers"
/// documents; the model is <see cref="CrmDbContext"/>'s. The tools build it from the app's own services, so a new
/// migration passes the provider to the app (no server is needed, adding a migration never connects):
/// <c>dotnet ef migrations add Name --project SchoolCrm.Web --context PostgreSqlCrmDbContext --output-dir
/// Data/PostgreSqlMigrations -- --Database:Provider=PostgreSql --ConnectionStrings:Crm=Host=127.0.0.1</c>.
/// (No IDesignTimeDbContextFactory: that interface is covariant, so the tools would use it for CrmDbContext too.)
/// </summary>
public sealed class PostgreSqlCrmDbContext(DbContextOptions<PostgreSqlCrmDbContext> options) : CrmDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        base.ConfigureConventions(configurationBuilder);

        // Every DateTime the app stores is an instant in UTC (timestamptz), but not every one carries
        // DateTimeKind.Utc: values computed from a DateOnly, or read back by code written for SQLite, are
        // Unspecified, and Npgsql refuses to write those to timestamptz. Reads come back as Utc.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        PostgreSqlIndexes.Apply(builder);
    }

    /// <summary>Marks an Unspecified DateTime as UTC (the app's convention) and converts a Local one.</summary>
    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Utc ? value
            : value.Kind == DateTimeKind.Local ? value.ToUniversalTime()
            : DateTime.SpecifyKind(value, DateTimeKind.Utc),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
