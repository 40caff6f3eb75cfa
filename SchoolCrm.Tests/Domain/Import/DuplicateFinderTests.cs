using SchoolCrm.Domain.Import;

namespace SchoolCrm.Tests.Domain.Import;

public class DuplicateFinderTests
{
    private static DuplicateFinder Finder(DuplicatePolicy policy, DuplicateMatchKey key = DuplicateMatchKey.Email) =>
        new(key, policy, [(5, "anna@school.it"), (3, "Anna@School.IT"), (9, "luca@school.it"), (11, null)]);

    [Fact]
    public void A_new_person_is_created()
    {
        Assert.Equal(DuplicateDecisionKind.Create, Finder(DuplicatePolicy.Skip).Decide("new@school.it").Kind);
    }

    [Fact]
    public void A_row_without_key_value_is_always_new()
    {
        var finder = Finder(DuplicatePolicy.Skip);
        finder.Remember(null, 2);

        Assert.Equal(DuplicateDecisionKind.Create, finder.Decide(null).Kind);
        Assert.Equal(DuplicateDecisionKind.Create, finder.Decide("  ").Kind);
    }

    [Fact]
    public void Skip_policy_skips_a_person_already_in_the_crm_matching_ignoring_case()
    {
        var decision = Finder(DuplicatePolicy.Skip).Decide(" ANNA@school.it ");

        Assert.Equal(DuplicateDecisionKind.SkipExisting, decision.Kind);
    }

    [Fact]
    public void Update_policy_updates_the_oldest_of_several_matching_leads()
    {
        var decision = Finder(DuplicatePolicy.Update).Decide("anna@school.it");

        Assert.Equal(DuplicateDecisionKind.Update, decision.Kind);
        Assert.Equal(3, decision.LeadId);
    }

    [Fact]
    public void Create_anyway_creates_even_when_the_person_exists_or_repeats()
    {
        var finder = Finder(DuplicatePolicy.CreateAnyway);
        Assert.Equal(DuplicateDecisionKind.Create, finder.Decide("anna@school.it").Kind);
        finder.Remember("new@school.it", 2);

        Assert.Equal(DuplicateDecisionKind.Create, finder.Decide("new@school.it").Kind);
    }

    [Theory]
    [InlineData(DuplicatePolicy.Skip)]
    [InlineData(DuplicatePolicy.Update)]
    public void A_person_repeated_in_the_file_is_skipped_with_the_first_row_named(DuplicatePolicy policy)
    {
        var finder = Finder(policy);
        finder.Remember("new@school.it", 2);

        var decision = finder.Decide("NEW@school.it");

        Assert.Equal(DuplicateDecisionKind.SkipRepeated, decision.Kind);
        Assert.Equal(2, decision.FirstRowNumber);
    }

    [Fact]
    public void Deciding_does_not_claim_the_key_so_a_corrected_row_later_is_not_a_repeat()
    {
        var finder = Finder(DuplicatePolicy.Skip);
        finder.Decide("new@school.it");

        Assert.Equal(DuplicateDecisionKind.Create, finder.Decide("new@school.it").Kind);
    }

    [Fact]
    public void Mobile_numbers_match_in_their_international_forms()
    {
        var finder = new DuplicateFinder(DuplicateMatchKey.Mobile, DuplicatePolicy.Skip, [(1, "+39 347 123 4567")]);

        Assert.Equal(DuplicateDecisionKind.SkipExisting, finder.Decide("0039 3471234567").Kind);
    }

    [Fact]
    public void Tax_codes_match_ignoring_case_and_spaces()
    {
        var finder = new DuplicateFinder(DuplicateMatchKey.TaxCode, DuplicatePolicy.Skip, [(1, "RSSMRA80A01H501U")]);

        Assert.Equal(DuplicateDecisionKind.SkipExisting, finder.Decide("rssmra 80a01 h501u").Kind);
    }
}
