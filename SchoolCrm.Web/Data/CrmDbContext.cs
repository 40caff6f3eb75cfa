using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Email;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Notifications;
using SchoolCrm.Domain.Students;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Tasks.Feed;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Web.Data;

/// <summary>
/// The app's context, on SQLite (its migrations are in Data/Migrations). <see cref="PostgreSqlCrmDbContext"/> is the
/// same model on PostgreSQL with its own migrations: EF Core's "one context type per provider". Services always ask
/// for <c>IDbContextFactory&lt;CrmDbContext&gt;</c> and never see which one they got.
/// </summary>
public class CrmDbContext : IdentityDbContext<AppUser>, IDataProtectionKeyContext
{
    public CrmDbContext(DbContextOptions<CrmDbContext> options)
        : base(options)
    {
    }

    /// <summary>For the provider-specific context types, whose options carry their own type.</summary>
    protected CrmDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<LeadStatus> LeadStatuses => Set<LeadStatus>();

    public DbSet<TaskType> TaskTypes => Set<TaskType>();

    public DbSet<Lead> Leads => Set<Lead>();

    public DbSet<Student> Students => Set<Student>();

    public DbSet<CustomField> CustomFields => Set<CustomField>();

    public DbSet<CustomFieldOption> CustomFieldOptions => Set<CustomFieldOption>();

    public DbSet<CustomFieldValue> CustomFieldValues => Set<CustomFieldValue>();

    public DbSet<Comment> Comments => Set<Comment>();

    public DbSet<HistoryEntry> History => Set<HistoryEntry>();

    public DbSet<SavedFilter> SavedFilters => Set<SavedFilter>();

    public DbSet<CrmTask> Tasks => Set<CrmTask>();

    public DbSet<CrmEvent> Events => Set<CrmEvent>();

    public DbSet<EventParticipant> EventParticipants => Set<EventParticipant>();

    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<CalendarFeed> CalendarFeeds => Set<CalendarFeed>();
    public DbSet<ScheduledReminder> ScheduledReminders => Set<ScheduledReminder>();

    public DbSet<OutgoingEmail> OutgoingEmails => Set<OutgoingEmail>();

    /// <summary>The Data Protection key ring, shared by every app node (Hosting/SeveralNodes).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<CalendarFeedVersion> CalendarFeedVersions => Set<CalendarFeedVersion>();

    /// <summary>Uploads and exports waiting in the shared folder, found by every app node (Features/Common/SharedFile).</summary>
    public DbSet<SharedFile> SharedFiles => Set<SharedFile>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Conventions.Replace<ForeignKeyIndexConvention>(services => new DeclaredIndexesOnly(
            services.GetRequiredService<ProviderConventionSetBuilderDependencies>()));
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CrmDbContext).Assembly);
    }
}
