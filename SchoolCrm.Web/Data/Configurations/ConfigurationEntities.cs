using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Web.Data.Configurations;

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(100);
        b.Property(u => u.Culture).HasMaxLength(10);
    }
}

internal sealed class LeadStatusConfiguration : IEntityTypeConfiguration<LeadStatus>
{
    public void Configure(EntityTypeBuilder<LeadStatus> b)
    {
        b.Property(s => s.Name).HasMaxLength(ConfigurationName.MaxLength);
        b.Property(s => s.NormalizedName).HasMaxLength(ConfigurationName.MaxLength);
        b.HasIndex(s => s.NormalizedName).IsUnique();
        b.Property(s => s.Color).HasMaxLength(7);
    }
}

internal sealed class TaskTypeConfiguration : IEntityTypeConfiguration<TaskType>
{
    public void Configure(EntityTypeBuilder<TaskType> b)
    {
        b.Property(t => t.Name).HasMaxLength(ConfigurationName.MaxLength);
        b.Property(t => t.NormalizedName).HasMaxLength(ConfigurationName.MaxLength);
        b.HasIndex(t => t.NormalizedName).IsUnique();
    }
}

internal sealed class SavedFilterConfiguration : IEntityTypeConfiguration<Domain.Filters.SavedFilter>
{
    public void Configure(EntityTypeBuilder<Domain.Filters.SavedFilter> b)
    {
        b.Property(f => f.Name).HasMaxLength(Domain.Filters.SavedFilter.NameMaxLength);
        b.Property(f => f.NormalizedName).HasMaxLength(Domain.Filters.SavedFilter.NameMaxLength);
        b.Property(f => f.Version).IsConcurrencyToken();
        b.HasOne<AppUser>().WithMany().HasForeignKey(f => f.OwnerUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(f => f.UpdatedByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(f => new { f.OwnerUserId, f.NormalizedName });
    }
}
