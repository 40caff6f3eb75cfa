using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Web.Features.Filters;

namespace SchoolCrm.Tests.Features.Filters;

/// <summary>The builder's drafts and the engine's <see cref="Filter"/>: the one conversion, both ways.</summary>
public sealed class FilterDraftsTests
{
    private const string UserId = "user-1";

    private static readonly CustomFieldDefinition Newsletter = new(7, "Newsletter", CustomFieldType.Checkbox, false, false, []);
    private static readonly CustomFieldDefinition Courses = new(8, "Courses", CustomFieldType.MultipleChoice, false, false, [new(81, "Piano"), new(82, "Violin")]);
    private static readonly CustomFieldDefinition Level = new(9, "Level", CustomFieldType.SingleChoice, false, true, [new(91, "A1"), new(92, "B2")]);
    private static readonly CustomFieldDefinition Age = new(10, "Age", CustomFieldType.Number, false, false, []);

    private static readonly FilterCatalogue Catalogue = new([Newsletter, Courses, Level, Age], [1, 2, 3], [UserId], [5], [4, 6]);

    // Every kind of value the builder edits, in the shapes of docs/saved-filters.md.
    private const string EveryKind = """
        {"v":1,"all":[{"field":"cf7","op":"ticked"},{"any":[{"field":"status","op":"any_of","value":[1,2]},{"field":"captured","op":"last_days","value":7},{"all":[{"field":"city","op":"contains","value":"Bolzano"},{"field":"born","op":"between","value":["2010-01-01","2012-12-31"]}]}]},{"field":"created","op":"before","value":"2025-03-01"},{"field":"cf10","op":"between","value":[3,7.5]},{"field":"cf10","op":"ge","value":4},{"field":"cf8","op":"all_of","value":[81,82]},{"field":"cf9","op":"none_of","value":[92]},{"field":"assignee","op":"any_of","value":["me","user-1"]},{"field":"gender","op":"none_of","value":["not_given"]},{"field":"email","op":"empty"},{"field":"comments","op":"ticked"},{"field":"lastcomment","op":"older_than_days","value":30},{"field":"import","op":"none_of","value":[5]},{"field":"opentasks","op":"ticked"},{"field":"overduetask","op":"not_ticked"},{"field":"nextdeadline","op":"next_days","value":7},{"field":"tasktype","op":"any_of","value":[4,6]}]}
        """;

    [Fact]
    public void A_filter_with_every_kind_of_value_read_into_drafts_and_edited_writes_back_the_same_json()
    {
        var filter = Read(EveryKind);
        var root = FilterDrafts.FromFilter(filter, Catalogue);

        // Marking every condition changed makes the drafts write from what the editors show, not from what was loaded.
        foreach (var condition in root.Conditions)
        {
            condition.Changed();
        }

        Assert.Equal(EveryKind.Trim(), FilterJson.Write(FilterDrafts.ToFilter(root, Catalogue)));
    }

    [Fact]
    public void Drafts_built_in_the_builder_write_the_shapes_the_engine_reads()
    {
        var root = FilterDrafts.NewRoot();
        root.Members.Add(new FilterConditionDraft { Field = "cf7", Op = FilterOperators.Ticked });
        var nested = new FilterGroupDraft { Join = FilterJoin.Any };
        nested.Members.Add(new FilterConditionDraft { Field = "status", Op = FilterOperators.AnyOf, Ids = [1, 2] });
        nested.Members.Add(new FilterConditionDraft { Field = "captured", Op = FilterOperators.LastDays, Days = 7 });
        nested.Members.Add(new FilterConditionDraft { Field = "born", Op = FilterOperators.On, Date = new DateOnly(2011, 4, 5) });
        nested.Members.Add(new FilterConditionDraft { Field = "city", Op = FilterOperators.StartsWith, Text = "  Bol " });
        nested.Members.Add(new FilterConditionDraft { Field = "cf10", Op = FilterOperators.Between, Number = 1, NumberTo = 2.5 });
        nested.Members.Add(new FilterConditionDraft { Field = "gender", Op = FilterOperators.AnyOf, Genders = ["female"] });
        root.Members.Add(nested);

        var json = FilterJson.Write(FilterDrafts.ToFilter(root, Catalogue));

        Assert.Equal(
            """{"v":1,"all":[{"field":"cf7","op":"ticked"},{"any":[{"field":"status","op":"any_of","value":[1,2]},{"field":"captured","op":"last_days","value":7},{"field":"born","op":"on","value":"2011-04-05"},{"field":"city","op":"starts_with","value":"Bol"},{"field":"cf10","op":"between","value":[1,2.5]},{"field":"gender","op":"any_of","value":["female"]}]}]}""",
            json);
        Assert.Empty(FilterCheck.Check(FilterJson.Read(json).Filter!, Catalogue).Broken);
    }

    [Fact]
    public void Only_the_value_of_the_chosen_operator_is_written()
    {
        var condition = new FilterConditionDraft { Field = "captured", Op = FilterOperators.Today, Date = new DateOnly(2025, 1, 1), Days = 3 };

        Assert.Null(FilterDrafts.ToCondition(condition, Catalogue).Value);
    }

    [Fact]
    public void A_loaded_condition_the_editors_cannot_show_is_kept_as_saved_and_marked()
    {
        var filter = Read("""{"v":1,"all":[{"field":"born","op":"on","value":"2025-02-30"},{"field":"cf99","op":"ticked"},{"field":"status","op":"any_of","value":[1,42]}]}""");

        var root = FilterDrafts.FromFilter(filter, Catalogue);

        var conditions = root.Conditions.ToList();
        Assert.Null(conditions[0].Date);
        Assert.Equal(
            [FilterProblems.ValueInvalid, FilterProblems.FieldUnknown, FilterProblems.StatusUnknown],
            conditions.Select(c => FilterDrafts.Problem(c, Catalogue)));
        Assert.Equal(FilterJson.Write(filter), FilterJson.Write(FilterDrafts.ToFilter(root, Catalogue)));
    }

    [Fact]
    public void Incomplete_and_reversed_values_are_problems_of_the_condition()
    {
        Assert.Equal(FilterDrafts.FieldRequired, FilterDrafts.Problem(new FilterConditionDraft(), Catalogue));
        Assert.Equal(FilterProblems.ValueRequired, FilterDrafts.Problem(new FilterConditionDraft { Field = "city", Op = FilterOperators.Is, Text = "  " }, Catalogue));
        Assert.Equal(FilterProblems.ValueRequired, FilterDrafts.Problem(new FilterConditionDraft { Field = "cf10", Op = FilterOperators.Between, Number = 4 }, Catalogue));
        Assert.Equal(FilterProblems.RangeReversed, FilterDrafts.Problem(new FilterConditionDraft { Field = "cf10", Op = FilterOperators.Between, Number = 4, NumberTo = 3 }, Catalogue));
        Assert.Equal(
            FilterProblems.RangeReversed,
            FilterDrafts.Problem(new FilterConditionDraft { Field = "born", Op = FilterOperators.Between, Date = new DateOnly(2020, 2, 1), DateTo = new DateOnly(2020, 1, 1) }, Catalogue));
        Assert.Equal(FilterProblems.ValueInvalid, FilterDrafts.Problem(new FilterConditionDraft { Field = "captured", Op = FilterOperators.LastDays, Days = 0 }, Catalogue));
        Assert.Equal(FilterProblems.ValueRequired, FilterDrafts.Problem(new FilterConditionDraft { Field = "cf8", Op = FilterOperators.AnyOf }, Catalogue));
        Assert.Null(FilterDrafts.Problem(new FilterConditionDraft { Field = "cf8", Op = FilterOperators.Empty }, Catalogue));
    }

    [Fact]
    public void The_runnable_filter_leaves_out_the_conditions_still_being_built()
    {
        var root = FilterDrafts.NewRoot();
        root.Members.Add(new FilterConditionDraft { Field = "cf7", Op = FilterOperators.Ticked });
        root.Members.Add(new FilterConditionDraft());
        var nested = new FilterGroupDraft { Join = FilterJoin.Any };
        nested.Members.Add(new FilterConditionDraft { Field = "city", Op = FilterOperators.Is });
        root.Members.Add(nested);

        Assert.Equal(
            """{"v":1,"all":[{"field":"cf7","op":"ticked"},{"any":[]}]}""",
            FilterJson.Write(FilterDrafts.Runnable(root, Catalogue)));
    }

    [Fact]
    public void Choosing_a_field_of_another_type_starts_with_its_first_operator_and_no_value()
    {
        var condition = new FilterConditionDraft { Field = "city", Op = FilterOperators.Contains, Text = "Bol" };

        FilterDrafts.ChangeField(condition, "captured", Catalogue);

        Assert.Equal(FilterOperators.On, condition.Op);
        Assert.Null(condition.Text);
    }

    [Fact]
    public void Choosing_another_field_of_the_same_type_keeps_operator_and_value_but_not_another_fields_options()
    {
        var condition = new FilterConditionDraft { Field = "city", Op = FilterOperators.Contains, Text = "Bol" };
        FilterDrafts.ChangeField(condition, "province", Catalogue);
        Assert.Equal((FilterOperators.Contains, "Bol"), (condition.Op, condition.Text));

        var choice = new FilterConditionDraft { Field = "cf9", Op = FilterOperators.NoneOf, Ids = [92] };
        FilterDrafts.ChangeField(choice, "cf8", Catalogue);
        Assert.Equal((FilterOperators.AnyOf, 0), (choice.Op, choice.Ids.Count));
    }

    [Fact]
    public void A_member_moves_one_place_and_stays_put_at_either_end()
    {
        var group = FilterDrafts.NewRoot();
        FilterNodeDraft a = new FilterConditionDraft { Field = "city" }, b = new FilterGroupDraft(), c = new FilterConditionDraft { Field = "zip" };
        group.Members.AddRange([a, b, c]);

        group.Move(c, -1);
        group.Move(a, -1);
        Assert.Equal([a, c, b], group.Members);

        group.Move(b, 1);
        group.Move(a, 1);
        Assert.Equal([c, a, b], group.Members);
    }

    private static Filter Read(string json) => FilterJson.Read(json).Filter ?? throw new InvalidOperationException(FilterJson.Read(json).Error);
}
