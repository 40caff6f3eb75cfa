using System.Text.Json;
using SchoolCrm.Domain.Leads.Fields;

namespace SchoolCrm.Domain.Filters;

/// <summary>How a group joins its members: "all of" (AND) or "any of" (OR).</summary>
public enum FilterJoin
{
    All,
    Any,
}

/// <summary>A member of a filter group: a condition or a nested group.</summary>
public abstract record FilterNode;

/// <summary>
/// A condition as saved: a catalogue field key, an operator (<see cref="FilterOperators"/>) and the value as the
/// JSON held it. It is kept raw so a filter that no longer checks (a deleted option, a date that is not a date)
/// is still shown and saved back as the user made it; <see cref="FilterCheck"/> decides whether it can run.
/// </summary>
public sealed record FilterCondition(string Field, string Op, JsonElement? Value) : FilterNode
{
    /// <summary>A condition whose value is serialised from <paramref name="value"/> (a string, number, date as
    /// "yyyy-MM-dd", or an array of those for "between" and the choice operators); null for no value.</summary>
    public static FilterCondition Of(string field, string op, object? value = null) =>
        new(field, op, value is null ? null : JsonSerializer.SerializeToElement(value, value.GetType()));
}

/// <summary>"All of" or "any of" its members, which are conditions and groups in the user's order.</summary>
public sealed record FilterGroup(FilterJoin Join, IReadOnlyList<FilterNode> Members) : FilterNode
{
    public static FilterGroup AllOf(params FilterNode[] members) => new(FilterJoin.All, members);

    public static FilterGroup AnyOf(params FilterNode[] members) => new(FilterJoin.Any, members);
}

/// <summary>A saved filter's tree: the root group. Stored as versioned JSON (<see cref="FilterJson"/>).</summary>
public sealed record Filter(FilterGroup Root)
{
    /// <summary>The filter without conditions, which matches every lead.</summary>
    public static Filter Empty { get; } = new(new FilterGroup(FilterJoin.All, []));

    public IEnumerable<FilterCondition> Conditions => ConditionsOf(Root);

    private static IEnumerable<FilterCondition> ConditionsOf(FilterGroup group) =>
        group.Members.SelectMany(m => m switch
        {
            FilterCondition condition => [condition],
            FilterGroup nested => ConditionsOf(nested),
            _ => [],
        });
}

/// <summary>The operators, as spelled in the JSON.</summary>
public static class FilterOperators
{
    public const string Is = "is";
    public const string IsNot = "is_not";
    public const string Contains = "contains";
    public const string NotContains = "not_contains";
    public const string StartsWith = "starts_with";
    public const string Empty = "empty";
    public const string NotEmpty = "not_empty";

    public const string Equal = "eq";
    public const string NotEqual = "ne";
    public const string Less = "lt";
    public const string LessOrEqual = "le";
    public const string Greater = "gt";
    public const string GreaterOrEqual = "ge";
    public const string Between = "between";

    public const string On = "on";
    public const string Before = "before";
    public const string After = "after";
    public const string Today = "today";
    public const string LastDays = "last_days";
    public const string NextDays = "next_days";

    /// <summary>"More than N days ago": before the last N days (so a lead without the value never matches).</summary>
    public const string OlderThanDays = "older_than_days";
    public const string ThisMonth = "this_month";
    public const string LastMonth = "last_month";
    public const string ThisYear = "this_year";

    public const string Ticked = "ticked";
    public const string NotTicked = "not_ticked";

    public const string AnyOf = "any_of";
    public const string NoneOf = "none_of";
    public const string AllOf = "all_of";

    /// <summary>In a user condition's list: whoever runs the filter.</summary>
    public const string Me = "me";

    private static readonly string[] TextOps = [Is, IsNot, Contains, NotContains, StartsWith, Empty, NotEmpty];
    private static readonly string[] NumberOps = [Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual, Between, Empty, NotEmpty];
    private static readonly string[] DateOps = [On, Before, After, Between, Today, LastDays, OlderThanDays, NextDays, ThisMonth, LastMonth, ThisYear, Empty, NotEmpty];
    private static readonly string[] CheckboxOps = [Ticked, NotTicked];
    private static readonly string[] ChoiceOps = [AnyOf, NoneOf, Empty, NotEmpty];
    private static readonly string[] MultipleChoiceOps = [AnyOf, NoneOf, AllOf, Empty, NotEmpty];

    // A lead always has a status and a gender value ("not given" is a value), so "empty" would never match.
    private static readonly string[] AlwaysSetChoiceOps = [AnyOf, NoneOf];

    // "Imported by any of / none of these imports"; "none of" includes the leads entered by hand.
    private static readonly string[] ImportOps = [AnyOf, NoneOf];

    // "Has a task of any of these types / of none of them": every lead has a list of tasks, maybe empty.
    private static readonly string[] TaskTypeOps = [AnyOf, NoneOf];

    // "The next deadline is within the next N days" (today and the N-1 days after, as for dates).
    private static readonly string[] NextDeadlineOps = [NextDays];

    /// <summary>The operators a field of the type offers, in the builder's order.</summary>
    public static IReadOnlyList<string> For(LeadFieldType type) => type switch
    {
        LeadFieldType.Text or LeadFieldType.LongText => TextOps,
        LeadFieldType.Number => NumberOps,
        LeadFieldType.Date or LeadFieldType.Instant => DateOps,
        LeadFieldType.Checkbox or LeadFieldType.OverdueTask => CheckboxOps,
        LeadFieldType.Status or LeadFieldType.Gender => AlwaysSetChoiceOps,
        LeadFieldType.User or LeadFieldType.SingleChoice => ChoiceOps,
        LeadFieldType.MultipleChoice => MultipleChoiceOps,
        LeadFieldType.Import => ImportOps,
        LeadFieldType.TaskType => TaskTypeOps,
        LeadFieldType.NextDeadline => NextDeadlineOps,
        _ => [],
    };

    /// <summary>Operators that take no value (the relative dates resolve when the filter runs).</summary>
    public static bool TakesNoValue(string op) =>
        op is Empty or NotEmpty or Today or ThisMonth or LastMonth or ThisYear or Ticked or NotTicked;
}
