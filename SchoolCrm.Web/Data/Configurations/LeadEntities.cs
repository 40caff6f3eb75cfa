using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Students;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Web.Data.Configurations;

internal static class PersonColumns
{
    /// <summary>Lengths and the indexes users sort and search by, the same for leads and students.</summary>
    public static void Configure<T>(EntityTypeBuilder<T> b)
        where T : PersonRecord
    {
        b.Property(p => p.CompanyName).HasMaxLength(PersonFieldLimits.CompanyName);
        b.Property(p => p.FirstName).HasMaxLength(PersonFieldLimits.FirstName);
        b.Property(p => p.LastName).HasMaxLength(PersonFieldLimits.LastName);
        b.Property(p => p.Email).HasMaxLength(PersonFieldLimits.Email);
        b.Property(p => p.TaxCode).HasMaxLength(PersonFieldLimits.TaxCode);
        b.Property(p => p.Address).HasMaxLength(PersonFieldLimits.Address);
        b.Property(p => p.City).HasMaxLength(PersonFieldLimits.City);
        b.Property(p => p.Zip).HasMaxLength(PersonFieldLimits.Zip);
        b.Property(p => p.Province).HasMaxLength(PersonFieldLimits.Province);
        b.Property(p => p.Phone).HasMaxLength(PersonFieldLimits.Phone);
        b.Property(p => p.Mobile).HasMaxLength(PersonFieldLimits.Mobile);
        b.Property(p => p.Notes).HasMaxLength(PersonFieldLimits.Notes);
        b.Ignore(p => p.Details);

        // Maintained by the entity (PersonRecord.ApplyDetails); existing rows get them from PersonKeysBackfill.
        // No length limit: folding may lengthen a text (ß -> ss).
        b.Property(p => p.SearchText).HasDefaultValue("");
        b.Property(p => p.FirstNameKey).HasDefaultValue("");
    }
}

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> b)
    {
        PersonColumns.Configure(b);
        b.Property(l => l.Version).IsConcurrencyToken();
        b.HasOne<LeadStatus>().WithMany().HasForeignKey(l => l.StatusId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(l => l.AssignedToUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(l => l.CreatedByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(l => l.UpdatedByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(l => l.CustomValues).WithOne().HasForeignKey(v => v.LeadId).OnDelete(DeleteBehavior.Cascade);

        // Every index on this table costs a b-tree insert per imported lead, so each one is here for a query whose
        // plan uses it, and QueryPlanTests asserts those plans on an analysed database. Sorts by the other
        // columns read the list index or the table and keep the best page (measured in docs/benchmarks.md);
        // deleting a status (an admin's rare action) reads the table once to find and check its leads.

        // The list: not converted, usually by status, sorted by name, searched. Holding the status and the folded
        // search text, the index answers the count of a status and a search without reading a table row, and the
        // first page by name comes from it in order. One index for the list with and without a status: a second one
        // led by the status (until 2026-12-02) made the status's count read only its part of the index, but cost
        // every imported lead a second wide b-tree insert (docs/benchmarks.md, "Fewer lead indexes").
        b.HasIndex(l => new { l.ConvertedAt, l.LastNameKey, l.FirstNameKey, l.StatusId, l.SearchText })
            .HasDatabaseName("IX_Leads_List");

        // The leads in the CRM in id order: a list sorted by a custom field reads the ones without a value from it
        // (LeadValueSort), a page at a time; without it SQLite sorts every such lead by id first.
        b.HasIndex(l => l.ConvertedAt);

        // "Newest first" and the filter "assigned to me".
        b.HasIndex(l => new { l.ConvertedAt, l.CaptureDate });
        b.HasIndex(l => new { l.ConvertedAt, l.AssignedToUserId });

        // Import duplicates by e-mail (the usual key): the import reads every key of the CRM's leads from this alone,
        // and a single key is one lookup. "Not converted" first: with a few converted leads SQLite's statistics make
        // ConvertedAt look selective, and it would rather take any index that starts with it. Matching by mobile or
        // tax code reads the table once per import instead: their two indexes cost a 100k import about 1.4 s
        // (docs/benchmarks.md, "Fewer lead indexes"), and the sorts by them meet their target without (about 40 ms).
        b.HasIndex(l => new { l.ConvertedAt, l.EmailKey });

        // Undo of an import finds its leads still in the CRM (the foreign key to LeadImports is declared in its
        // configuration). With both columns SQLite never prefers an index that has "not converted" alone.
        b.Property<int?>(LeadImportConfiguration.LeadImportIdProperty);
        b.HasIndex(LeadImportConfiguration.LeadImportIdProperty, nameof(Lead.ConvertedAt));
    }
}

internal sealed class StudentConfiguration : IEntityTypeConfiguration<Student>
{
    public void Configure(EntityTypeBuilder<Student> b)
    {
        PersonColumns.Configure(b);
        b.Property(s => s.Version).IsConcurrencyToken();
        b.HasOne<Lead>().WithMany().HasForeignKey(s => s.ConvertedFromLeadId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<AppUser>().WithMany().HasForeignKey(s => s.CreatedByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(s => s.UpdatedByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(s => s.CustomValues).WithOne().HasForeignKey(v => v.StudentId).OnDelete(DeleteBehavior.Cascade);

        // Converting a lead checks this unique index; deleting a lead (undo of an import) sets it to null through it.
        b.HasIndex(s => s.ConvertedFromLeadId).IsUnique();

        // The student list: counted and searched from this index, first page by name in its order.
        b.HasIndex(s => new { s.LastNameKey, s.FirstNameKey, s.SearchText }).HasDatabaseName("IX_Students_List");
        b.HasIndex(s => s.EnrolmentDate);
    }
}

internal sealed class CustomFieldConfiguration : IEntityTypeConfiguration<CustomField>
{
    public void Configure(EntityTypeBuilder<CustomField> b)
    {
        b.Property(f => f.Name).HasMaxLength(CustomField.NameMaxLength);
        b.Property(f => f.NormalizedName).HasMaxLength(CustomField.NameMaxLength);
        b.HasIndex(f => f.NormalizedName).IsUnique();
        b.Ignore(f => f.HasOptions);
        b.HasMany(f => f.Options).WithOne().HasForeignKey(o => o.CustomFieldId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CustomFieldOptionConfiguration : IEntityTypeConfiguration<CustomFieldOption>
{
    public void Configure(EntityTypeBuilder<CustomFieldOption> b)
    {
        b.Property(o => o.Label).HasMaxLength(CustomFieldOption.LabelMaxLength);
    }
}

internal sealed class CustomFieldValueConfiguration : IEntityTypeConfiguration<CustomFieldValue>
{
    public void Configure(EntityTypeBuilder<CustomFieldValue> b)
    {
        b.Property(v => v.TextValue).HasMaxLength(CustomFieldValue.LongTextMaxLength);
        b.HasOne<CustomField>().WithMany().HasForeignKey(v => v.CustomFieldId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<CustomFieldOption>().WithMany().HasForeignKey(v => v.OptionId).OnDelete(DeleteBehavior.Cascade);

        // Filters and sorts look a value up by (field, lead); the index also holds the typed values (text aside), so
        // sorting leads by a field reads no table rows. Lead and student alone: their record pages load their
        // values, and deleting a lead or student cascades through them. Nothing frequent looks values up by option:
        // removing an option (an admin's rare action) reads the value table once. The student index holds only the
        // students' values: a lead's value has no student, and an imported lead's six values or so each added a
        // NULL entry to it (about 1 s of PostgreSQL's time for a 100k import; docs/benchmarks.md, "Fewer lead
        // indexes"); a lookup by student (StudentId = ?) implies the filter, so both databases use it as before.
        b.HasIndex(v => new { v.CustomFieldId, v.LeadId, v.NumberValue, v.DateValue, v.BoolValue, v.OptionId });
        b.HasIndex(v => v.LeadId);
        b.HasIndex(v => v.StudentId).HasFilter("\"StudentId\" IS NOT NULL");

        // The list sorted by a custom field reads the page from these in value order (LeadValueSort) instead of
        // looking a value up for every lead. Partial: each row is in the one index of its type, so together they
        // cost one b-tree insert per value, as one index would. Single choice sorts by option order, which the
        // covering index above serves option by option.
        b.Property(v => v.TextKey).HasMaxLength(CustomFieldValue.LongTextMaxLength);
        b.HasIndex(v => new { v.CustomFieldId, v.NumberValue, v.LeadId }).HasFilter("\"NumberValue\" IS NOT NULL");
        b.HasIndex(v => new { v.CustomFieldId, v.DateValue, v.LeadId }).HasFilter("\"DateValue\" IS NOT NULL");
        b.HasIndex(v => new { v.CustomFieldId, v.BoolValue, v.LeadId }).HasFilter("\"BoolValue\" IS NOT NULL");
        b.HasIndex(v => new { v.CustomFieldId, v.TextKey, v.LeadId }).HasFilter("\"TextKey\" IS NOT NULL");
    }
}

internal sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> b)
    {
        b.Property(c => c.Text).HasMaxLength(Comment.TextMaxLength);
        b.HasOne<Lead>().WithMany(l => l.Comments).HasForeignKey(c => c.LeadId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Student>().WithMany().HasForeignKey(c => c.StudentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(c => c.AuthorUserId).OnDelete(DeleteBehavior.Restrict);

        // A record page's comments in order, and saved filters' "has comments" and "last comment" (its newest
        // entry per lead): QueryPlanTests.
        b.HasIndex(c => new { c.LeadId, c.CreatedAt });
        b.HasIndex(c => new { c.StudentId, c.CreatedAt });
    }
}

internal sealed class HistoryEntryConfiguration : IEntityTypeConfiguration<HistoryEntry>
{
    public void Configure(EntityTypeBuilder<HistoryEntry> b)
    {
        b.ToTable("History");
        b.Property(h => h.Field).HasMaxLength(64);
        b.Property(h => h.OldValue).HasMaxLength(PersonFieldLimits.Notes);
        b.Property(h => h.NewValue).HasMaxLength(PersonFieldLimits.Notes);
        b.HasOne<Lead>().WithMany().HasForeignKey(h => h.LeadId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Student>().WithMany().HasForeignKey(h => h.StudentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(h => h.UserId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(h => new { h.LeadId, h.At });
        b.HasIndex(h => new { h.StudentId, h.At });
    }
}
