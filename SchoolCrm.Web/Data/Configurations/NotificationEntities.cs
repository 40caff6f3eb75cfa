using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SchoolCrm.Domain.Notifications;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Web.Data.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("Notifications");
        b.Property(n => n.TaskTitle).HasMaxLength(CrmTask.TitleMaxLength);
        b.Property(n => n.TaskTypeName).HasMaxLength(100);
        b.Property(n => n.LeadName).HasMaxLength(300);
        b.Ignore(n => n.IsRead);
        b.Ignore(n => n.IsLate);

        // A notification outlives its task (it keeps the task's title): deleting the task only drops the link.
        b.HasOne<CrmTask>().WithMany().HasForeignKey(n => n.TaskId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<AppUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);

        // The bell's list, newest first, and "what came after the last one I saw" after a reconnect.
        b.HasIndex(n => new { n.UserId, n.Id });

        // The bell's unread count reads only the unread ones.
        b.HasIndex(n => n.UserId).HasFilter("\"ReadAt\" IS NULL").HasDatabaseName("IX_Notifications_Unread");
    }
}

internal sealed class ScheduledReminderConfiguration : IEntityTypeConfiguration<ScheduledReminder>
{
    public void Configure(EntityTypeBuilder<ScheduledReminder> b)
    {
        b.ToTable("ScheduledReminders");
        b.HasKey(r => r.TaskId);
        b.HasOne<CrmTask>().WithOne().HasForeignKey<ScheduledReminder>(r => r.TaskId).OnDelete(DeleteBehavior.Cascade);

        // The worker reads only what still waits, in the order it falls due.
        b.HasIndex(r => r.DueUtc).HasFilter("\"DeliveredAt\" IS NULL").HasDatabaseName("IX_ScheduledReminders_Waiting");
    }
}
