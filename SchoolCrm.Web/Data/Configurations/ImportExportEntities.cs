using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Data.Configurations;

internal sealed class LeadImportConfiguration : IEntityTypeConfiguration<LeadImport>
{
    /// <summary>The column on Leads that says which import created the lead (<see cref="Lead.ImportId"/>).</summary>
    public const string LeadImportIdProperty = nameof(Lead.ImportId);

    /// <summary>Rows of the file the import has got through, stored by the job about every second.</summary>
    public const string RowsDoneProperty = "RowsDone";

    /// <summary>The file's rows (after the header), as the upload's inspection counted them.</summary>
    public const string TotalRowsProperty = "TotalRows";

    /// <summary>Set by "Cancel" on any node; the node running the import stops at its next progress store.</summary>
    public const string CancelRequestedProperty = "CancelRequested";

    /// <summary>When the running node last stored progress: another node rolls back an import whose heartbeat is stale.</summary>
    public const string HeartbeatAtProperty = "HeartbeatAt";

    public void Configure(EntityTypeBuilder<LeadImport> b)
    {
        b.ToTable("LeadImports");
        b.Property(i => i.FileName).HasMaxLength(LeadImport.FileNameMaxLength);
        b.Property(i => i.FailureCode).HasMaxLength(64);
        b.HasOne<AppUser>().WithMany().HasForeignKey(i => i.UserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(i => i.UndoneByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(i => i.QueuedAt);

        // The app node that queued and runs the import (Hosting/SeveralNodes): at its start a node rolls back only
        // its own interrupted imports, never one that another node is running. Null: queued before several nodes.
        b.Property<string?>(CrmNode.ImportNodeProperty).HasMaxLength(CrmNode.NameMaxLength);

        // The import's live state, in its row so that every node shows its progress and may cancel it (the page on
        // the node that runs it also hears every step in memory, LeadImportJobs). Shadow columns: they describe the
        // job running, not the import as the history shows it.
        b.Property<int>(RowsDoneProperty);
        b.Property<int>(TotalRowsProperty);
        b.Property<bool>(CancelRequestedProperty);
        b.Property<DateTime?>(HeartbeatAtProperty);

        // Provenance is a nullable column on the lead with an index (saved filters ask "imported by", so the
        // entity carries it). Undo is then one indexed DELETE, and an import costs no extra row per lead (a join
        // table would double the inserts of a 100k-row import). The import job writes it through BulkInsert.
        b.HasMany<Lead>().WithOne().HasForeignKey(LeadImportIdProperty).IsRequired(false).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class LeadImportJournalConfiguration : IEntityTypeConfiguration<LeadImportJournalEntry>
{
    public void Configure(EntityTypeBuilder<LeadImportJournalEntry> b)
    {
        b.ToTable("LeadImportJournal");

        // No foreign key to the lead: a lead removed meanwhile simply has nothing to restore, and deleting leads
        // (an undo of 200k) need not look into this table. The import's index serves the rollback.
        b.HasOne<LeadImport>().WithMany().HasForeignKey(e => e.ImportId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserPreferenceConfiguration : IEntityTypeConfiguration<UserPreference>
{
    public void Configure(EntityTypeBuilder<UserPreference> b)
    {
        b.ToTable("UserPreferences");
        b.HasKey(p => new { p.UserId, p.Key });
        b.Property(p => p.Key).HasMaxLength(UserPreference.KeyMaxLength);
        b.Property(p => p.Value).HasMaxLength(UserPreference.ValueMaxLength);
        b.HasOne<AppUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SharedFileConfiguration : IEntityTypeConfiguration<SharedFile>
{
    public void Configure(EntityTypeBuilder<SharedFile> b)
    {
        b.ToTable("SharedFiles");
        b.Property(f => f.Id).ValueGeneratedNever();
        b.Property(f => f.FileName).HasMaxLength(SharedFile.FileNameMaxLength);
        b.Property(f => f.StoredName).HasMaxLength(SharedFile.StoredNameMaxLength);
        b.Property(f => f.RowsStoredName).HasMaxLength(SharedFile.StoredNameMaxLength);
        b.HasOne<AppUser>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);

        // "How many uploads does this user hold" and the sweep of the ones unused for an hour.
        b.HasIndex(f => new { f.UserId, f.Kind });
        b.HasIndex(f => f.LastUsedAt);
    }
}
