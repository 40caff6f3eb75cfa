using SchoolCrm.Domain.Import;

namespace SchoolCrm.Tests.Domain.Import;

public class HeaderKeyTests
{
    [Theory]
    [InlineData("E-Mail", "email")]
    [InlineData("e-mail", "email")]
    [InlineData("EMAIL", "email")]
    [InlineData("Geburts-Datum ", "geburtsdatum")]
    [InlineData("PLZ", "plz")]
    [InlineData("Cognome", "cognome")]
    [InlineData("Data di nascita", "datadinascita")]
    [InlineData("Straße", "strasse")]
    [InlineData("STRASSE", "strasse")]
    [InlineData("Telefon (mobil)", "telefonmobil")]
    [InlineData("Città", "citta")]
    [InlineData("Geschäftsführer", "geschaftsfuhrer")]
    [InlineData("Numéro", "numero")]
    [InlineData("Adresse 2", "adresse2")]
    [InlineData("Cod. fiscale", "codfiscale")]
    public void Header_is_lower_case_without_accents_spaces_or_punctuation(string header, string expected)
    {
        Assert.Equal(expected, HeaderKey.Normalize(header));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("--")]
    public void Header_without_letters_or_digits_is_empty(string header)
    {
        Assert.Equal(string.Empty, HeaderKey.Normalize(header));
    }
}
