namespace SchoolCrm.Domain.Leads;

/// <summary>
/// The standard fields a lead and a student share, as the user typed them. <see cref="Clean"/> trims and
/// checks them; the entities only ever take cleaned details.
/// </summary>
public sealed record PersonDetails
{
    public string? CompanyName { get; init; }

    public string FirstName { get; init; } = "";

    public string? LastName { get; init; }

    public DateOnly CaptureDate { get; init; }

    public string? Email { get; init; }

    public string? TaxCode { get; init; }

    public string? Address { get; init; }

    public string? City { get; init; }

    public string? Zip { get; init; }

    public string? Province { get; init; }

    public string? Phone { get; init; }

    public string? Mobile { get; init; }

    public Gender Gender { get; init; }

    public DateOnly? DateOfBirth { get; init; }

    public bool PrivacyConsent { get; init; }

    public string? Notes { get; init; }
}

public static class PersonFieldLimits
{
    public const int CompanyName = 200;
    public const int FirstName = 100;
    public const int LastName = 100;
    public const int Email = 254;
    public const int TaxCode = 32;
    public const int Address = 200;
    public const int City = 100;
    public const int Zip = 16;
    public const int Province = 60;
    public const int Phone = 40;
    public const int Mobile = 40;
    public const int Notes = 4000;
}

/// <summary>A field-level problem. Errors block saving; warnings are shown and the user may save anyway.</summary>
public sealed record FieldMessage(string Field, string Code);

public sealed record PersonDetailsCheck(PersonDetails Cleaned, IReadOnlyList<FieldMessage> Errors, IReadOnlyList<FieldMessage> Warnings)
{
    public bool IsValid => Errors.Count == 0;
}
