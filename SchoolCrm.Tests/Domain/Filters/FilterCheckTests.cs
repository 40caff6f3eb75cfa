using SchoolCrm.Domain.Filters;
using static SchoolCrm.Tests.Domain.Filters.FilterTestKit;

namespace SchoolCrm.Tests.Domain.Filters;

public sealed class FilterCheckTests
{
    [Theory]
    [InlineData("""{"field":"nope","op":"is","value":"x"}""", FilterProblems.FieldUnknown)]
    [InlineData("""{"field":"cf999","op":"any_of","value":[1]}""", FilterProblems.FieldUnknown)]
    [InlineData("""{"field":"name","op":"contains","value":"x"}""", FilterProblems.FieldUnknown)]
    [InlineData("""{"field":"City","op":"is","value":"x"}""", FilterProblems.FieldUnknown)]
    [InlineData("""{"field":"city","op":"gt","value":3}""", FilterProblems.OperatorInvalid)]
    [InlineData("""{"field":"city","op":"IS","value":"x"}""", FilterProblems.OperatorInvalid)]
    [InlineData("""{"field":"status","op":"empty"}""", FilterProblems.OperatorInvalid)]
    [InlineData("""{"field":"cf6","op":"all_of","value":[61]}""", FilterProblems.OperatorInvalid)]
    [InlineData("""{"field":"privacy","op":"is","value":"yes"}""", FilterProblems.OperatorInvalid)]
    [InlineData("""{"field":"city","op":"is"}""", FilterProblems.ValueRequired)]
    [InlineData("""{"field":"city","op":"is","value":null}""", FilterProblems.ValueRequired)]
    [InlineData("""{"field":"city","op":"contains","value":"   "}""", FilterProblems.ValueRequired)]
    [InlineData("""{"field":"city","op":"is","value":3}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"status","op":"any_of","value":[]}""", FilterProblems.ValueRequired)]
    [InlineData("""{"field":"captured","op":"on","value":"2026-02-30"}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"captured","op":"on","value":"1.12.2026"}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"captured","op":"on","value":"0001-01-01"}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"created","op":"between","value":["2026-12-01","2026-11-01"]}""", FilterProblems.RangeReversed)]
    [InlineData("""{"field":"cf4","op":"between","value":["2026-12-01"]}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"cf3","op":"between","value":[5,1]}""", FilterProblems.RangeReversed)]
    [InlineData("""{"field":"cf3","op":"eq","value":"5"}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"captured","op":"last_days","value":0}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"captured","op":"next_days","value":1.5}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"cf1","op":"any_of","value":[11,99]}""", FilterProblems.OptionUnknown)]
    [InlineData("""{"field":"cf1","op":"any_of","value":[61]}""", FilterProblems.OptionUnknown)]
    [InlineData("""{"field":"cf6","op":"any_of","value":["61"]}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"status","op":"none_of","value":[1,42]}""", FilterProblems.StatusUnknown)]
    [InlineData("""{"field":"assignee","op":"any_of","value":["me","user-gone"]}""", FilterProblems.UserUnknown)]
    [InlineData("""{"field":"assignee","op":"any_of","value":"me"}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"gender","op":"any_of","value":["unknown"]}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"captured","op":"older_than_days","value":0}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"lastcomment","op":"older_than_days","value":3661}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"lastcomment","op":"older_than_days","value":"30"}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"lastcomment","op":"older_than_days"}""", FilterProblems.ValueRequired)]
    [InlineData("""{"field":"comments","op":"is","value":"yes"}""", FilterProblems.OperatorInvalid)]
    [InlineData("""{"field":"import","op":"empty"}""", FilterProblems.OperatorInvalid)]
    [InlineData("""{"field":"import","op":"any_of","value":[]}""", FilterProblems.ValueRequired)]
    [InlineData("""{"field":"import","op":"any_of","value":["7"]}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"import","op":"any_of","value":[7,9]}""", FilterProblems.ImportUnknown)]
    [InlineData("""{"field":"import","op":"none_of","value":[999]}""", FilterProblems.ImportUnknown)]
    public void A_condition_that_cannot_run_is_marked_with_its_problem(string condition, string problem)
    {
        var filter = Checked("{\"v\":1,\"all\":[" + condition + "]}");

        var broken = Assert.Single(filter.Broken);
        Assert.Equal(problem, broken.Problem);
    }

    [Theory]
    [InlineData("""{"field":"city","op":"is","value":" Bolzano "}""")]
    [InlineData("""{"field":"notes","op":"not_contains","value":"x"}""")]
    [InlineData("""{"field":"zip","op":"empty","value":"ignored"}""")]
    [InlineData("""{"field":"status","op":"any_of","value":[1,1,2]}""")]
    [InlineData("""{"field":"assignee","op":"none_of","value":["me","user-other"]}""")]
    [InlineData("""{"field":"createdby","op":"any_of","value":["me"]}""")]
    [InlineData("""{"field":"updated","op":"this_month"}""")]
    [InlineData("""{"field":"born","op":"before","value":"2010-01-01"}""")]
    [InlineData("""{"field":"cf3","op":"between","value":[2,2]}""")]
    [InlineData("""{"field":"cf1","op":"all_of","value":[11,12]}""")]
    [InlineData("""{"field":"cf5","op":"not_ticked"}""")]
    [InlineData("""{"field":"cf7","op":"contains","value":"archived fields still hold values"}""")]
    [InlineData("""{"field":"gender","op":"none_of","value":["not_given"]}""")]
    [InlineData("""{"field":"comments","op":"ticked"}""")]
    [InlineData("""{"field":"comments","op":"not_ticked"}""")]
    [InlineData("""{"field":"lastcomment","op":"older_than_days","value":30}""")]
    [InlineData("""{"field":"lastcomment","op":"empty"}""")]
    [InlineData("""{"field":"captured","op":"older_than_days","value":3660}""")]
    [InlineData("""{"field":"import","op":"any_of","value":[7,8,7]}""")]
    [InlineData("""{"field":"import","op":"none_of","value":[8]}""")]
    public void A_well_formed_condition_checks(string condition)
    {
        var filter = Checked("{\"v\":1,\"all\":[" + condition + "]}");

        Assert.Empty(filter.Broken);
        Assert.Single(filter.Conditions);
    }

    [Fact]
    public void Checking_keeps_the_tree_and_marks_only_the_broken_conditions()
    {
        var filter = Checked("""{"v":1,"any":[{"field":"city","op":"is","value":"Bolzano"},{"all":[{"field":"cf999","op":"empty"},{"field":"status","op":"any_of","value":[1]}]}]}""");

        Assert.Equal(FilterJoin.Any, filter.Root.Join);
        Assert.Equal(3, filter.Conditions.Count);
        Assert.Equal("cf999", Assert.Single(filter.Broken).Source.Field);
        Assert.Equal(["Bolzano", null, null], filter.Conditions.Select(c => c.Value.Text.Length == 0 ? null : c.Value.Text));
    }

    [Fact]
    public void The_catalogue_offers_every_filterable_standard_field_and_every_custom_field_archived_ones_included()
    {
        var keys = Catalogue.Fields.Select(f => f.Key).ToList();

        Assert.Contains("status", keys);
        Assert.Contains("assignee", keys);
        Assert.Contains("created", keys);
        Assert.Contains("updatedby", keys);
        Assert.DoesNotContain("name", keys);
        Assert.Equal(["comments", "lastcomment", "import"], keys.Where(k => k is "comments" or "lastcomment" or "import"));
        Assert.Equal(["cf1", "cf2", "cf3", "cf4", "cf5", "cf6", "cf7"], keys.Where(k => k.StartsWith("cf", StringComparison.Ordinal)));
        Assert.All(Catalogue.Fields, f => Assert.NotEmpty(FilterOperators.For(f.Type)));
    }
}
