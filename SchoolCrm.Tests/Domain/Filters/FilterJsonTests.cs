using SchoolCrm.Domain.Filters;

namespace SchoolCrm.Tests.Domain.Filters;

public sealed class FilterJsonTests
{
    private const string Nested = """
        {"v":1,"all":[{"field":"privacy","op":"ticked"},{"any":[{"field":"status","op":"any_of","value":[1,2]},{"field":"captured","op":"last_days","value":7},{"all":[{"field":"cf3","op":"between","value":[1,2.5]},{"any":[{"field":"city","op":"contains","value":"M\u00FCnchen %_\\ ');"}]}]}]}]}
        """;

    [Fact]
    public void A_filter_nested_four_levels_deep_reads_and_writes_back_to_the_same_json()
    {
        var read = FilterJson.Read(Nested);

        Assert.Null(read.Error);
        var root = read.Filter!.Root;
        Assert.Equal(FilterJoin.All, root.Join);
        var any = Assert.IsType<FilterGroup>(root.Members[1]);
        Assert.Equal(FilterJoin.Any, any.Join);
        var innermost = Assert.IsType<FilterGroup>(Assert.IsType<FilterGroup>(any.Members[2]).Members[1]);
        var condition = Assert.IsType<FilterCondition>(Assert.Single(innermost.Members));
        Assert.Equal("München %_\\ ');", condition.Value!.Value.GetString());

        var written = FilterJson.Write(read.Filter);
        Assert.Equal(written, FilterJson.Write(FilterJson.Read(written).Filter!));
        Assert.Equal(System.Text.Json.Nodes.JsonNode.Parse(Nested)!.ToJsonString(), System.Text.Json.Nodes.JsonNode.Parse(written)!.ToJsonString());
    }

    [Fact]
    public void A_filter_built_in_code_is_written_as_version_1_with_all_and_any_groups()
    {
        var filter = new Filter(FilterGroup.AllOf(
            FilterCondition.Of("privacy", FilterOperators.Ticked),
            FilterGroup.AnyOf(FilterCondition.Of("status", FilterOperators.AnyOf, new[] { 1, 2 }), FilterCondition.Of("captured", FilterOperators.LastDays, 7))));

        Assert.Equal(
            """{"v":1,"all":[{"field":"privacy","op":"ticked"},{"any":[{"field":"status","op":"any_of","value":[1,2]},{"field":"captured","op":"last_days","value":7}]}]}""",
            FilterJson.Write(filter));
    }

    [Theory]
    [InlineData("""{"v":2,"all":[]}""")]
    [InlineData("""{"v":0,"all":[]}""")]
    [InlineData("""{"v":"1","all":[]}""")]
    [InlineData("""{"all":[]}""")]
    public void A_filter_of_another_or_no_version_is_refused_with_a_code(string json)
    {
        var read = FilterJson.Read(json);

        Assert.Null(read.Filter);
        Assert.Equal(FilterJson.UnsupportedVersion, read.Error);
    }

    [Theory]
    [InlineData("", FilterJson.InvalidJson)]
    [InlineData("{\"v\":1,", FilterJson.InvalidJson)]
    [InlineData("[]", FilterJson.InvalidShape)]
    [InlineData("""{"v":1}""", FilterJson.InvalidShape)]
    [InlineData("""{"v":1,"all":[],"any":[]}""", FilterJson.InvalidShape)]
    [InlineData("""{"v":1,"all":{}}""", FilterJson.InvalidShape)]
    [InlineData("""{"v":1,"all":[3]}""", FilterJson.InvalidShape)]
    [InlineData("""{"v":1,"all":[{"field":"city"}]}""", FilterJson.InvalidShape)]
    [InlineData("""{"v":1,"all":[{"field":"city","op":7}]}""", FilterJson.InvalidShape)]
    [InlineData("""{"v":1,"all":[{"field":"city","op":"is","value":"x","sql":"1=1"}]}""", FilterJson.InvalidShape)]
    [InlineData("""{"v":1,"all":[{"any":[],"v":1}]}""", FilterJson.InvalidShape)]
    public void Text_that_is_no_filter_is_refused_with_a_code_instead_of_throwing(string json, string error)
    {
        var read = FilterJson.Read(json);

        Assert.Null(read.Filter);
        Assert.Equal(error, read.Error);
    }

    [Fact]
    public void Groups_nest_up_to_the_limit_and_no_deeper()
    {
        static string Depth(int groups) => "{\"v\":1," + string.Concat(Enumerable.Repeat("\"any\":[{", groups - 1))
            + "\"all\":[{\"field\":\"city\",\"op\":\"empty\"}]" + string.Concat(Enumerable.Repeat("}]", groups - 1)) + "}";

        Assert.True(FilterJson.Read(Depth(FilterJson.MaxDepth)).IsRead);
        Assert.Equal(FilterJson.TooDeep, FilterJson.Read(Depth(FilterJson.MaxDepth + 1)).Error);
    }

    [Fact]
    public void A_filter_with_more_conditions_than_the_limit_is_refused()
    {
        static string Conditions(int count) => "{\"v\":1,\"any\":[" + string.Join(',', Enumerable.Repeat("{\"field\":\"city\",\"op\":\"empty\"}", count)) + "]}";

        Assert.True(FilterJson.Read(Conditions(FilterJson.MaxConditions)).IsRead);
        Assert.Equal(FilterJson.TooManyConditions, FilterJson.Read(Conditions(FilterJson.MaxConditions + 1)).Error);
    }

    [Fact]
    public void A_condition_on_a_field_that_no_longer_exists_still_reads()
    {
        var read = FilterJson.Read("""{"v":1,"all":[{"field":"cf999","op":"any_of","value":[5]}]}""");

        Assert.Equal("cf999", Assert.Single(read.Filter!.Conditions).Field);
    }
}
