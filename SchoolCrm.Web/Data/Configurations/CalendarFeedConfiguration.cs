using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Features.Tasks.Feed;
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

internal sealed class CalendarFeedVersionConfiguration : IEntityTypeConfiguration<CalendarFeedVersion>
{
    public void Configure(EntityTypeBuilder<CalendarFeedVersion> b)
    {
        b.ToTable("CalendarFeedVersions");
        b.HasKey(v => v.FeedId);
        b.Property(v => v.FeedId).ValueGeneratedNever();
        b.Property(v => v.ETag).HasMaxLength(CalendarFeedVersion.ETagLength);
        // A revoked feed takes its version with it; a new token starts a new feed row anyway.
        b.HasOne<CalendarFeed>().WithMany().HasForeignKey(v => v.FeedId).OnDelete(DeleteBehavior.Cascade);
    }
}
