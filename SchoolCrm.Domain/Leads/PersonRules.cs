namespace SchoolCrm.Domain.Leads;

public static class PersonRules
{
    /// <summary>"First Last" as lists, the calendar, notifications and the feed name a person (nothing else of them).</summary>
    public static string FullName(string? firstName, string? lastName) =>
        string.Join(" ", new[] { firstName, lastName }.Where(n => !string.IsNullOrEmpty(n)));

    /// <summary>Trims every text, turns blanks into null and checks the field rules.</summary>
    public static PersonDetailsCheck Check(PersonDetails input, DateOnly today)
    {
        var errors = new List<FieldMessage>();
        var warnings = new List<FieldMessage>();

        string? Text(string? value, int max, string field)
        {
            var trimmed = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
            if (trimmed is not null && trimmed.Length > max)
            {
                errors.Add(new FieldMessage(field, "text.too_long"));
            }

            return trimmed;
        }

        var cleaned = input with
        {
            CompanyName = Text(input.CompanyName, PersonFieldLimits.CompanyName, nameof(PersonDetails.CompanyName)),
            FirstName = Text(input.FirstName, PersonFieldLimits.FirstName, nameof(PersonDetails.FirstName)) ?? "",
            LastName = Text(input.LastName, PersonFieldLimits.LastName, nameof(PersonDetails.LastName)),
            Email = Text(input.Email, PersonFieldLimits.Email, nameof(PersonDetails.Email)),
            TaxCode = Text(input.TaxCode, PersonFieldLimits.TaxCode, nameof(PersonDetails.TaxCode))?.ToUpperInvariant(),
            Address = Text(input.Address, PersonFieldLimits.Address, nameof(PersonDetails.Address)),
            City = Text(input.City, PersonFieldLimits.City, nameof(PersonDetails.City)),
            Zip = Text(input.Zip, PersonFieldLimits.Zip, nameof(PersonDetails.Zip)),
            Province = Text(input.Province, PersonFieldLimits.Province, nameof(PersonDetails.Province)),
            Phone = Text(input.Phone, PersonFieldLimits.Phone, nameof(PersonDetails.Phone)),
            Mobile = Text(input.Mobile, PersonFieldLimits.Mobile, nameof(PersonDetails.Mobile)),
            Notes = Text(input.Notes, PersonFieldLimits.Notes, nameof(PersonDetails.Notes)),
        };

        if (cleaned.FirstName.Length == 0)
        {
            errors.Add(new FieldMessage(nameof(PersonDetails.FirstName), "required"));
        }

        if (cleaned.Email is not null && !EmailAddress.IsValid(cleaned.Email))
        {
            errors.Add(new FieldMessage(nameof(PersonDetails.Email), "email.invalid"));
        }

        if (cleaned.DateOfBirth is { } birth && birth > today)
        {
            errors.Add(new FieldMessage(nameof(PersonDetails.DateOfBirth), "date.in_future"));
        }

        if (!Enum.IsDefined(cleaned.Gender))
        {
            errors.Add(new FieldMessage(nameof(PersonDetails.Gender), "gender.invalid"));
        }

        // Many schools are not in Italy: a value shaped like a codice fiscale with a wrong check
        // character is most likely a typo, but it must never stop the secretary from saving.
        if (cleaned.TaxCode is not null
            && CodiceFiscale.LooksLikeCodiceFiscale(cleaned.TaxCode)
            && !CodiceFiscale.HasValidCheckCharacter(cleaned.TaxCode))
        {
            warnings.Add(new FieldMessage(nameof(PersonDetails.TaxCode), "taxcode.check_character"));
        }

        return new PersonDetailsCheck(cleaned, errors, warnings);
    }
}
