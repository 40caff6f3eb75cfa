namespace SchoolCrm.Domain.Leads;

public static class EmailAddress
{
    public static bool IsValid(string? email) => email is not null && email.Contains('@', StringComparison.Ordinal);
}
