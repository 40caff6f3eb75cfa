using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Data.Configurations;

internal sealed class LeadImportConfiguration : IEntityTypeConfiguration<LeadImport>
{
    /// <summary>The column on Leads that says which import created the lead (<see cref="Lead.ImportId"/>).</summary>
    public const string LeadImportIdProperty = nameof(Lead.ImportId);

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
