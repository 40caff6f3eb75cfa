using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Web.Data.Configurations;

internal sealed class CalendarFeedConfiguration : IEntityTypeConfiguration<CalendarFeed>
{
    public void Configure(EntityTypeBuilder<CalendarFeed> b)
    {
        b.ToTable("CalendarFeeds");
        b.Property(f => f.TokenHash).HasMaxLength(CalendarFeed.HashLength);
        b.HasOne<AppUser>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);

        // One subscription per user; a request finds its feed by the token's hash.
        b.HasIndex(f => f.UserId).IsUnique();
        b.HasIndex(f => f.TokenHash).IsUnique();
    }
}
