using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Students;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Web.Data.Configurations;

internal sealed class CrmTaskConfiguration : IEntityTypeConfiguration<CrmTask>
{
    public void Configure(EntityTypeBuilder<CrmTask> b)
    {
        b.ToTable("Tasks");
        b.Property(t => t.Title).HasMaxLength(CrmTask.TitleMaxLength);
        b.Property(t => t.Description).HasMaxLength(CrmTask.DescriptionMaxLength);
        b.Property(t => t.Version).IsConcurrencyToken();
        b.Ignore(t => t.IsDone);

        // A lead's (or its student's) tasks go when the record goes, as its comments do; users are only ever
        // disabled, and a task type is only deleted after its tasks moved to another one.
        // Lead.Tasks is what saved filters' task conditions read (no schema change: the same foreign key).
        b.HasOne<Lead>().WithMany(l => l.Tasks).HasForeignKey(t => t.LeadId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Student>().WithMany().HasForeignKey(t => t.StudentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<TaskType>().WithMany().HasForeignKey(t => t.TaskTypeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(t => t.AssignedToUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(t => t.CreatedByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(t => t.UpdatedByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(t => t.CompletedByUserId).OnDelete(DeleteBehavior.Restrict);

        // "My tasks": an operator's open tasks (CompletedAt null) in deadline order, each section one range of this
        // index; the Done section reads the same index backwards by completion time.
        b.HasIndex(t => new { t.AssignedToUserId, t.CompletedAt, t.DeadlineUtc }).HasDatabaseName("IX_Tasks_MyTasks");

        // The calendar: an operator's tasks, done or not, with a deadline in the shown range.
        b.HasIndex(t => new { t.AssignedToUserId, t.DeadlineUtc }).HasDatabaseName("IX_Tasks_Calendar");

        // A lead's and a student's tasks; the task types' counts and moves.
        b.HasIndex(t => new { t.LeadId, t.DeadlineUtc });
        b.HasIndex(t => new { t.StudentId, t.DeadlineUtc });
        b.HasIndex(t => t.TaskTypeId);
    }
}

internal sealed class CrmEventConfiguration : IEntityTypeConfiguration<CrmEvent>
{
    public void Configure(EntityTypeBuilder<CrmEvent> b)
    {
        b.ToTable("Events");
        b.Property(e => e.Title).HasMaxLength(CrmEvent.TitleMaxLength);
        b.Property(e => e.Location).HasMaxLength(CrmEvent.LocationMaxLength);
        b.Property(e => e.Description).HasMaxLength(CrmEvent.DescriptionMaxLength);
        b.Property(e => e.Version).IsConcurrencyToken();
        b.HasOne<Lead>().WithMany().HasForeignKey(e => e.LeadId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Student>().WithMany().HasForeignKey(e => e.StudentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(e => e.CreatedByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(e => e.UpdatedByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(e => e.Participants).WithOne().HasForeignKey(p => p.EventId).OnDelete(DeleteBehavior.Cascade);

        // A lead's and a student's events by start.
        b.HasIndex(e => new { e.LeadId, e.StartUtc });
        b.HasIndex(e => new { e.StudentId, e.StartUtc });
    }
}

internal sealed class EventParticipantConfiguration : IEntityTypeConfiguration<EventParticipant>
{
    public void Configure(EntityTypeBuilder<EventParticipant> b)
    {
        b.ToTable("EventParticipants");
        b.HasKey(p => new { p.EventId, p.UserId });
        b.HasOne<AppUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Restrict);

        // A user's events: their participant rows, then each event by its key, checked against the range. An
        // operator has a few thousand events at most, so this stays small without copying times into this table.
        b.HasIndex(p => new { p.UserId, p.EventId });
    }
}
