namespace SchoolCrm.Domain.Import;

/// <summary>
/// The lead's own columns in a spreadsheet, in template order: the standard fields plus status and
/// assigned operator, which a file names by text.
/// </summary>
public enum StandardField
{
    CompanyName,
    FirstName,
    LastName,
    CaptureDate,
    Email,
    TaxCode,
    Address,
    City,
    Zip,
    Province,
    Phone,
    Mobile,
    Gender,
    Status,
    AssignedTo,
    DateOfBirth,
    PrivacyConsent,
    Notes,
}

/// <summary>
/// Header spellings found in real archives beyond the English and German labels the UI shows
/// (those come from the resources). Italian first, since many schools keep Italian archives.
/// </summary>
public static class StandardFieldAliases
{
    private static readonly Dictionary<StandardField, string[]> Aliases = new()
    {
        [StandardField.CompanyName] = ["Company", "Firma", "Unternehmen", "Azienda", "Ragione sociale", "Società"],
        [StandardField.FirstName] = ["First name", "Given name", "Vorname", "Nome"],
        [StandardField.LastName] = ["Last name", "Surname", "Family name", "Nachname", "Familienname", "Cognome"],
        [StandardField.CaptureDate] = ["Capture date", "Date captured", "Erfassungsdatum", "Erfasst am", "Data acquisizione", "Data inserimento"],
        [StandardField.Email] = ["E-mail", "Mail", "E-mail address", "E-Mail-Adresse", "Indirizzo email"],
        [StandardField.TaxCode] = ["Tax code", "Tax ID", "Steuernummer", "Steuer-ID", "Codice fiscale", "CF"],
        [StandardField.Address] = ["Street", "Adresse", "Anschrift", "Straße", "Indirizzo", "Via"],
        [StandardField.City] = ["Town", "Ort", "Stadt", "Wohnort", "Città", "Comune", "Località"],
        [StandardField.Zip] = ["ZIP code", "Postcode", "Postal code", "PLZ", "Postleitzahl", "CAP"],
        [StandardField.Province] = ["State", "County", "Provinz", "Bundesland", "Provincia", "Prov"],
        [StandardField.Phone] = ["Telephone", "Landline", "Phone number", "Telefon", "Festnetz", "Telefono", "Tel"],
        [StandardField.Mobile] = ["Mobile phone", "Cell phone", "Handy", "Mobil", "Mobiltelefon", "Cellulare", "Cell"],
        [StandardField.Gender] = ["Sex", "Geschlecht", "Sesso", "Genere"],
        [StandardField.Status] = ["Lead status", "Stato"],
        [StandardField.AssignedTo] = ["Assigned to", "Operator", "Assignee", "Zugewiesen an", "Betreuer", "Assegnato a", "Operatore"],
        [StandardField.DateOfBirth] = ["Date of birth", "Birth date", "Birthday", "DOB", "Geburtsdatum", "Geburtstag", "Data di nascita"],
        [StandardField.PrivacyConsent] = ["Privacy", "Privacy consent", "Datenschutz", "Einwilligung", "Consenso privacy"],
        [StandardField.Notes] = ["Note", "Notizen", "Bemerkungen", "Anmerkungen"],
    };

    /// <summary>The field's own name ("DateOfBirth") and the archive spellings.</summary>
    public static IReadOnlyList<string> For(StandardField field) => [field.ToString(), .. Aliases[field]];
}
