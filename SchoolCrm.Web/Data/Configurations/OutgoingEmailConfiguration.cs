using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SchoolCrm.Domain.Email;

namespace SchoolCrm.Web.Data.Configurations;

internal sealed class OutgoingEmailConfiguration : IEntityTypeConfiguration<OutgoingEmail>
{
    public void Configure(EntityTypeBuilder<OutgoingEmail> b)
    {
        b.ToTable("OutgoingEmails");
        b.Property(e => e.ToAddress).HasMaxLength(OutgoingEmail.AddressMaxLength);
        b.Property(e => e.ToName).HasMaxLength(OutgoingEmail.AddressMaxLength);
        b.Property(e => e.Subject).HasMaxLength(OutgoingEmail.SubjectMaxLength);
        b.Property(e => e.ClaimedBy).HasMaxLength(200);
        b.Property(e => e.LastError).HasMaxLength(OutgoingEmail.ErrorMaxLength);

        // The worker's question, "which are due?", and the status page's "which are not sent?".
        b.HasIndex(e => new { e.Status, e.NextAttemptAt });
    }
}
