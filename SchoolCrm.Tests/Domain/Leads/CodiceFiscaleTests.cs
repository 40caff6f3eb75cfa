using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Tests.Domain.Leads;

public class CodiceFiscaleTests
{
    [Theory]
    [InlineData("RSSMRA85T10A562S")]
    [InlineData("rssmra85t10a562s")]
    [InlineData("  RSSMRA85T10A562S ")]
    [InlineData("CCCFBA85D03L21VE")]
    [InlineData("CCCFBAURDLPLNMVU")]
    public void Codice_fiscale_shapes_are_recognised(string value)
    {
        Assert.True(CodiceFiscale.LooksLikeCodiceFiscale(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("RSSMRA85T10A562")]
    [InlineData("RSSMRA85T10A562SX")]
    [InlineData("RSS MRA 85T10 A562S")]
    [InlineData("RSSMR185T10A562S")]
    [InlineData("RSSMRA85Z10A562S")]
    [InlineData("RSSMRA8AT10A562S")]
    [InlineData("RSSMRA85T10A56AS")]
    [InlineData("RSSMRA85T101562S")]
    [InlineData("RSSMRA85T10A5621")]
    [InlineData("12345678901")]
    public void Other_shapes_are_not_a_codice_fiscale(string? value)
    {
        Assert.False(CodiceFiscale.LooksLikeCodiceFiscale(value));
    }

    // Published examples: the classic Mario Rossi code, and python-codicefiscale's test codes.
    [Theory]
    [InlineData("RSSMRA85T10A562S")]
    [InlineData("CCCFBA85D03L219P")]
    [InlineData("rssmra85t10a562s")]
    public void Published_codes_have_a_valid_check_character(string value)
    {
        Assert.True(CodiceFiscale.HasValidCheckCharacter(value));
    }

    [Theory]
    [InlineData("CCCFBA85D03L21VE")]
    [InlineData("CCCFBA85D03L2MVP")]
    [InlineData("CCCFBA85D03LNMVE")]
    [InlineData("CCCFBA85D0PLNMVA")]
    [InlineData("CCCFBA85DLPLNMVL")]
    [InlineData("CCCFBA8RDLPLNMVX")]
    [InlineData("CCCFBAURDLPLNMVU")]
    public void Omocodia_variants_have_a_valid_check_character(string value)
    {
        Assert.True(CodiceFiscale.HasValidCheckCharacter(value));
    }

    [Theory]
    [InlineData("RSSMRA85T10A562T")]
    [InlineData("CCCFBA85D03L219B")]
    [InlineData("CCCFBA85D03L21VP")]
    public void Wrong_check_letter_is_invalid(string value)
    {
        Assert.False(CodiceFiscale.HasValidCheckCharacter(value));
    }

    [Fact]
    public void Value_with_a_wrong_shape_has_no_valid_check_character()
    {
        Assert.False(CodiceFiscale.HasValidCheckCharacter("RSSMRA85T10A562"));
    }
}
