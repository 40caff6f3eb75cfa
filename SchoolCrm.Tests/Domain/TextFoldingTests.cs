using System.Globalization;
using System.Text;
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

    [Theory]
    [InlineData("anna.MEIER@Example.org", "anna.meier@example.org")]
    [InlineData("\t+39  02\r\n555 ", "+39 02 555")]
    [InlineData("already folded", "already folded")]
    public void Plain_ascii_text_is_lower_cased_with_single_spaces(string text, string expected)
    {
        Assert.Equal(expected, TextFolding.Fold(text));
    }

    // Fold has a quicker way for ASCII text; it must give what the general way gives, for any ASCII text.
    [Fact]
    public void Ascii_text_folds_as_the_general_way_folds_it()
    {
        var random = new Random(7);
        const string alphabet = "aZq09 .@_-'\t\n\r\v\f\x1c\x1f\0AEIOU  xyz";
        for (int i = 0; i < 5000; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            Assert.Equal(GeneralFold(text), TextFolding.Fold(text));
        }
    }

    // The general way, as TextFolding does it for text beyond ASCII, restricted to what ASCII can hold.
    private static string GeneralFold(string text)
    {
        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var kept = new string([.. decomposed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)]);
        return string.Join(' ', kept.Normalize(NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
