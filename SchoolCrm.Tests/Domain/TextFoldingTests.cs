using SchoolCrm.Domain;

namespace SchoolCrm.Tests.Domain;

public class TextFoldingTests
{
    [Theory]
    [InlineData("Müller", "muller")]
    [InlineData("MÜLLER", "muller")]
    [InlineData("Nicolò", "nicolo")]
    [InlineData("NICOLÒ", "nicolo")]
    [InlineData("Élodie", "elodie")]
    [InlineData("Zoë", "zoe")]
    [InlineData("Straße", "strasse")]
    [InlineData("Øster Ærø", "oster aero")]
    [InlineData("Łódź", "lodz")]
    [InlineData("  Keine   Angabe ", "keine angabe")]
    public void Folding_drops_case_and_accents_of_every_letter(string text, string expected)
    {
        Assert.Equal(expected, TextFolding.Fold(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Blank_text_has_no_folded_form(string? text)
    {
        Assert.Null(TextFolding.FoldOrNull(text));
    }
}
