using SchoolCrm.Domain.Import;

namespace SchoolCrm.Tests.Domain.Import;

public class ColumnMatcherTests
{
    private static readonly FieldCandidate[] Candidates =
    [
        new(ImportTarget.For(StandardField.FirstName), ["First name", "Vorname", .. StandardFieldAliases.For(StandardField.FirstName)]),
        new(ImportTarget.For(StandardField.Email), ["E-mail", "E-Mail", .. StandardFieldAliases.For(StandardField.Email)]),
        new(ImportTarget.For(StandardField.Zip), ["ZIP", "PLZ", .. StandardFieldAliases.For(StandardField.Zip)]),
        new(ImportTarget.For(StandardField.DateOfBirth), ["Date of birth", "Geburtsdatum", .. StandardFieldAliases.For(StandardField.DateOfBirth)]),
        new(ImportTarget.For(StandardField.City), ["City", "Ort"]),
        new(ImportTarget.ForCustomField(7), ["Interests"]),
        new(ImportTarget.ForCustomField(8), ["City"]),
    ];

    [Fact]
    public void A_german_archive_maps_without_help()
    {
        var matches = ColumnMatcher.Match(["Vorname", "E-Mail", "PLZ", "Geburtsdatum"], Candidates);

        Assert.All(matches, m => Assert.Equal(ColumnMatchKind.Matched, m.Kind));
        Assert.Equal(
            [StandardField.FirstName, StandardField.Email, StandardField.Zip, StandardField.DateOfBirth],
            matches.Select(m => m.Target.Standard!.Value));
    }

    [Theory]
    [InlineData("  e mail ")]
    [InlineData("EMAIL")]
    [InlineData("E-Mail:")]
    [InlineData("Email")]
    [InlineData("Indirizzo email")]
    public void Case_spaces_and_punctuation_do_not_matter(string header)
    {
        var match = Assert.Single(ColumnMatcher.Match([header], Candidates));

        Assert.Equal(ImportTarget.For(StandardField.Email), match.Target);
    }

    [Fact]
    public void The_field_name_itself_matches()
    {
        var match = Assert.Single(ColumnMatcher.Match(["DateOfBirth"], Candidates));

        Assert.Equal(ImportTarget.For(StandardField.DateOfBirth), match.Target);
    }

    [Fact]
    public void Custom_fields_match_by_their_name()
    {
        var match = Assert.Single(ColumnMatcher.Match(["interests"], Candidates));

        Assert.Equal(ImportTarget.ForCustomField(7), match.Target);
    }

    [Fact]
    public void Unknown_and_blank_headers_are_listed_for_the_user_to_decide()
    {
        var matches = ColumnMatcher.Match(["Lieblingsfarbe", "", "Vorname"], Candidates);

        Assert.Equal(ColumnMatchKind.Unknown, matches[0].Kind);
        Assert.True(matches[0].Target.IsIgnored);
        Assert.Equal("Lieblingsfarbe", matches[0].Header);
        Assert.Equal(ColumnMatchKind.Blank, matches[1].Kind);
        Assert.Equal(ColumnMatchKind.Matched, matches[2].Kind);
    }

    [Fact]
    public void A_field_takes_one_column_and_a_second_one_is_marked_repeated()
    {
        var matches = ColumnMatcher.Match(["Vorname", "First name"], Candidates);

        Assert.Equal(ColumnMatchKind.Matched, matches[0].Kind);
        Assert.Equal(ColumnMatchKind.Repeated, matches[1].Kind);
        Assert.True(matches[1].Target.IsIgnored);
    }

    [Fact]
    public void Two_fields_with_the_same_name_get_the_columns_in_order()
    {
        // A custom field called "City" next to the standard City: the template has both columns.
        var matches = ColumnMatcher.Match(["City", "City"], Candidates);

        Assert.Equal(ImportTarget.For(StandardField.City), matches[0].Target);
        Assert.Equal(ImportTarget.ForCustomField(8), matches[1].Target);
    }

    [Fact]
    public void Conflicts_name_the_fields_chosen_twice()
    {
        var conflicts = ColumnMatcher.Conflicts([ImportTarget.For(StandardField.Email), ImportTarget.Ignore, ImportTarget.Ignore, ImportTarget.For(StandardField.Email)]);

        Assert.Equal([ImportTarget.For(StandardField.Email)], conflicts);
    }

    [Theory]
    [InlineData("Email")]
    [InlineData("custom:12")]
    [InlineData("")]
    public void Target_keys_round_trip(string key)
    {
        Assert.Equal(key, ImportTarget.Parse(key).Key);
    }

    [Theory]
    [InlineData("custom:x")]
    [InlineData("Nonsense")]
    [InlineData(null)]
    public void Unknown_keys_are_ignored(string? key)
    {
        Assert.True(ImportTarget.Parse(key).IsIgnored);
    }
}
