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
        b.HasIndex(p => p.LastName);
        b.HasIndex(p => p.FirstName);
        b.HasIndex(p => p.Email);
        b.HasIndex(p => p.Mobile);
        b.HasIndex(p => p.TaxCode);
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

        // The grid always filters out converted leads and usually by status; these back its sorts.
        // The two "List" indexes hold every field the quick search reads, in name order: counting a search needs
        // no table lookups, and the first page by name (with or without a status) comes straight from the index.
        b.HasIndex(l => new { l.ConvertedAt, l.StatusId, l.LastName, l.FirstName, l.CompanyName, l.Email, l.Phone, l.Mobile, l.TaxCode })
            .HasDatabaseName("IX_Leads_ListByStatus");
        b.HasIndex(l => new { l.ConvertedAt, l.LastName, l.FirstName, l.CompanyName, l.Email, l.Phone, l.Mobile, l.TaxCode })
            .HasDatabaseName("IX_Leads_List");
        b.HasIndex(l => new { l.ConvertedAt, l.CaptureDate });
        b.HasIndex(l => new { l.ConvertedAt, l.AssignedToUserId });
        b.HasIndex(l => l.City);
        b.HasIndex(l => l.CompanyName);
        b.HasIndex(l => l.CreatedAt);
        b.HasIndex(l => l.UpdatedAt);

        // Every other column the list offers for sorting: a page sorted by it reads the index in order and stops.
        b.HasIndex(l => l.Phone);
        b.HasIndex(l => l.Address);
        b.HasIndex(l => l.Zip);
        b.HasIndex(l => l.Province);
        b.HasIndex(l => l.DateOfBirth);
        b.HasIndex(l => l.Gender);
        b.HasIndex(l => l.PrivacyConsent);
    }
}

internal sealed class StudentConfiguration : IEntityTypeConfiguration<Student>
{
    public void Configure(EntityTypeBuilder<Student> b)
    {
        PersonColumns.Configure(b);
        b.Property(s => s.Version).IsConcurrencyToken();
        b.HasOne<Lead>().WithMany().HasForeignKey(s => s.ConvertedFromLeadId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(s => s.ConvertedFromLeadId).IsUnique();
        b.HasOne<AppUser>().WithMany().HasForeignKey(s => s.CreatedByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(s => s.UpdatedByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(s => s.CustomValues).WithOne().HasForeignKey(v => v.StudentId).OnDelete(DeleteBehavior.Cascade);
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

        // Filters and sorts look a value up by (field, owner); the typed columns let SQL compare them.
        // Also covers the typed values (text aside), so sorting leads by a field reads no table rows.
        b.HasIndex(v => new { v.CustomFieldId, v.LeadId, v.NumberValue, v.DateValue, v.BoolValue, v.OptionId });
        b.HasIndex(v => new { v.CustomFieldId, v.StudentId });
        b.HasIndex(v => v.LeadId);
        b.HasIndex(v => v.StudentId);
        b.HasIndex(v => new { v.CustomFieldId, v.TextValue });
        b.HasIndex(v => new { v.CustomFieldId, v.NumberValue });
        b.HasIndex(v => new { v.CustomFieldId, v.DateValue });
        b.HasIndex(v => new { v.CustomFieldId, v.OptionId });
    }
}

internal sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> b)
    {
        b.Property(c => c.Text).HasMaxLength(Comment.TextMaxLength);
        b.HasOne<Lead>().WithMany().HasForeignKey(c => c.LeadId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Student>().WithMany().HasForeignKey(c => c.StudentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(c => c.AuthorUserId).OnDelete(DeleteBehavior.Restrict);
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
