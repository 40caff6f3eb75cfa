using System.Globalization;
using System.Text.Json;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;

namespace SchoolCrm.Domain.Filters;

/// <summary>A member of a checked group.</summary>
public abstract record CheckedNode;

/// <summary>A checked group: its members in order, broken ones included (they are left out when it runs).</summary>
public sealed record CheckedGroup(FilterJoin Join, IReadOnlyList<CheckedNode> Members) : CheckedNode;

/// <summary>
/// A checked condition: the saved one, the catalogue field it names and its value parsed for the operator, or
/// the <see cref="Problem"/> (a <see cref="FilterProblems"/> code) why it cannot run.
/// </summary>
public sealed record CheckedCondition(FilterCondition Source, LeadField? Field, string? Problem, ConditionValue Value) : CheckedNode
{
    public bool IsBroken => Problem is not null;

    public string Op => Source.Op;
}

/// <summary>A condition's value, parsed; which members are set depends on the operator.</summary>
public sealed record ConditionValue
{
    public static ConditionValue None { get; } = new();

    /// <summary>Trimmed, as typed; folded when the filter runs.</summary>
    public string Text { get; init; } = "";

    public double Number { get; init; }

    /// <summary>The upper end of "between".</summary>
    public double NumberTo { get; init; }

    public DateOnly Date { get; init; }

    /// <summary>The last day of "between".</summary>
    public DateOnly DateTo { get; init; }

    /// <summary>N of "in the last / next N days".</summary>
    public int Days { get; init; }

    /// <summary>Status, option, import or task type ids.</summary>
    public IReadOnlyList<int> Ids { get; init; } = [];

    /// <summary>User ids; <see cref="FilterOperators.Me"/> stands for whoever runs the filter.</summary>
    public IReadOnlyList<string> Users { get; init; } = [];

    public IReadOnlyList<Gender> Genders { get; init; } = [];
}

/// <summary>Why a condition cannot run. The builder shows a message per code; the list warns and runs the rest.</summary>
public static class FilterProblems
{
    /// <summary>The field does not exist (a deleted custom field) or cannot be filtered.</summary>
    public const string FieldUnknown = "filter.field_unknown";

    /// <summary>The operator does not belong to the field's type.</summary>
    public const string OperatorInvalid = "filter.operator_invalid";

    /// <summary>The operator needs a value and there is none (or only blanks, or an empty list).</summary>
    public const string ValueRequired = "filter.value_required";

    /// <summary>The value is not of the field's kind: a date that is not a date, text for a number, N out of range.</summary>
    public const string ValueInvalid = "filter.value_invalid";

    /// <summary>"Between" with the first value above the second.</summary>
    public const string RangeReversed = "filter.range_reversed";

    public const string OptionUnknown = "filter.option_unknown";

    public const string StatusUnknown = "filter.status_unknown";

    public const string UserUnknown = "filter.user_unknown";

    /// <summary>An import that does not exist or no longer holds its leads (undone, failed, cancelled).</summary>
    public const string ImportUnknown = "filter.import_unknown";

    /// <summary>A task type that was deleted (its tasks moved to another type).</summary>
    public const string TaskTypeUnknown = "filter.task_type_unknown";
}

/// <summary>A filter checked against the catalogue: the tree with every condition marked runnable or broken.</summary>
public sealed record CheckedFilter(CheckedGroup Root)
{
    /// <summary>The most days "in the last / next N days" and "older than N days" may count (ten years).</summary>
    public const int MaxDays = 3660;

    /// <summary>The longest text value (a long-text field's limit).</summary>
    public const int MaxTextLength = 4000;

    public IReadOnlyList<CheckedCondition> Conditions => [.. ConditionsOf(Root)];

    public IReadOnlyList<CheckedCondition> Broken => [.. ConditionsOf(Root).Where(c => c.IsBroken)];

    private static IEnumerable<CheckedCondition> ConditionsOf(CheckedGroup group) =>
        group.Members.SelectMany(m => m switch
        {
            CheckedCondition condition => [condition],
            CheckedGroup nested => ConditionsOf(nested),
            _ => Enumerable.Empty<CheckedCondition>(),
        });
}

/// <summary>Checks a filter against the catalogue. Never throws for what a filter holds: problems become codes.</summary>
public static class FilterCheck
{
    public static CheckedFilter Check(Filter filter, FilterCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(catalogue);
        return new CheckedFilter(Group(filter.Root, catalogue));
    }

    public static CheckedCondition Condition(FilterCondition condition, FilterCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(catalogue);
        var field = catalogue.Field(condition.Field);
        if (field is null)
        {
            return new(condition, null, FilterProblems.FieldUnknown, ConditionValue.None);
        }

        if (!FilterOperators.For(field.Type).Contains(condition.Op))
        {
            return new(condition, field, FilterProblems.OperatorInvalid, ConditionValue.None);
        }

        if (FilterOperators.TakesNoValue(condition.Op))
        {
            return new(condition, field, null, ConditionValue.None);
        }

        if (condition.Value is not { } value)
        {
            return new(condition, field, FilterProblems.ValueRequired, ConditionValue.None);
        }

        var (parsed, problem) = field.Type switch
        {
            LeadFieldType.Text or LeadFieldType.LongText => TextValue(value),
            LeadFieldType.Number => NumberValue(condition.Op, value),
            LeadFieldType.Date or LeadFieldType.Instant => DateValue(condition.Op, value),
            LeadFieldType.Status => IdList(value, id => catalogue.HasStatus(id), FilterProblems.StatusUnknown),
            LeadFieldType.SingleChoice or LeadFieldType.MultipleChoice =>
                IdList(value, id => catalogue.HasOption(field.CustomFieldId!.Value, id), FilterProblems.OptionUnknown),
            LeadFieldType.User => UserList(value, catalogue),
            LeadFieldType.Import => IdList(value, catalogue.HasImport, FilterProblems.ImportUnknown),
            LeadFieldType.TaskType => IdList(value, catalogue.HasTaskType, FilterProblems.TaskTypeUnknown),
            LeadFieldType.NextDeadline => DaysValue(value),
            LeadFieldType.Gender => GenderList(value),
            _ => (ConditionValue.None, FilterProblems.OperatorInvalid),
        };
        return new(condition, field, problem, problem is null ? parsed : ConditionValue.None);
    }

    private static CheckedGroup Group(FilterGroup group, FilterCatalogue catalogue) =>
        new(group.Join, [.. group.Members.Select(m => m switch
        {
            FilterGroup nested => (CheckedNode)Group(nested, catalogue),
            FilterCondition condition => Condition(condition, catalogue),
            _ => throw new ArgumentException("Unknown filter node.", nameof(group)),
        })]);

    private static (ConditionValue, string?) TextValue(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return (ConditionValue.None, FilterProblems.ValueInvalid);
        }

        var text = value.GetString()!.Trim();
        return text.Length == 0 ? (ConditionValue.None, FilterProblems.ValueRequired)
            : text.Length > CheckedFilter.MaxTextLength ? (ConditionValue.None, FilterProblems.ValueInvalid)
            : (new ConditionValue { Text = text }, null);
    }

    private static (ConditionValue, string?) NumberValue(string op, JsonElement value)
    {
        if (op == FilterOperators.Between)
        {
            if (!TryPair(value, out var first, out var second))
            {
                return (ConditionValue.None, FilterProblems.ValueInvalid);
            }

            if (!TryNumber(first, out var min) || !TryNumber(second, out var max))
            {
                return (ConditionValue.None, FilterProblems.ValueInvalid);
            }

            return min > max ? (ConditionValue.None, FilterProblems.RangeReversed) : (new ConditionValue { Number = min, NumberTo = max }, null);
        }

        return TryNumber(value, out var number) ? (new ConditionValue { Number = number }, null) : (ConditionValue.None, FilterProblems.ValueInvalid);
    }

    private static (ConditionValue, string?) DateValue(string op, JsonElement value)
    {
        switch (op)
        {
            case FilterOperators.Between:
                if (!TryPair(value, out var first, out var second) || !TryDate(first, out var from) || !TryDate(second, out var to))
                {
                    return (ConditionValue.None, FilterProblems.ValueInvalid);
                }

                return from > to ? (ConditionValue.None, FilterProblems.RangeReversed) : (new ConditionValue { Date = from, DateTo = to }, null);

            case FilterOperators.LastDays:
            case FilterOperators.OlderThanDays:
            case FilterOperators.NextDays:
                return DaysValue(value);

            default:
                return TryDate(value, out var date) ? (new ConditionValue { Date = date }, null) : (ConditionValue.None, FilterProblems.ValueInvalid);
        }
    }

    // N of "in the last / next N days" and "older than N days".
    private static (ConditionValue, string?) DaysValue(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var days) && days is >= 1 and <= CheckedFilter.MaxDays
            ? (new ConditionValue { Days = days }, null)
            : (ConditionValue.None, FilterProblems.ValueInvalid);

    private static (ConditionValue, string?) IdList(JsonElement value, Func<int, bool> exists, string unknown)
    {
        if (!TryList(value, out var items))
        {
            return (ConditionValue.None, FilterProblems.ValueInvalid);
        }

        if (items.Count == 0)
        {
            return (ConditionValue.None, FilterProblems.ValueRequired);
        }

        var ids = new List<int>();
        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var id))
            {
                return (ConditionValue.None, FilterProblems.ValueInvalid);
            }

            if (!exists(id))
            {
                return (ConditionValue.None, unknown);
            }

            ids.Add(id);
        }

        return (new ConditionValue { Ids = [.. ids.Distinct()] }, null);
    }

    private static (ConditionValue, string?) UserList(JsonElement value, FilterCatalogue catalogue)
    {
        if (!TryList(value, out var items) || items.Any(i => i.ValueKind != JsonValueKind.String))
        {
            return (ConditionValue.None, FilterProblems.ValueInvalid);
        }

        if (items.Count == 0)
        {
            return (ConditionValue.None, FilterProblems.ValueRequired);
        }

        var users = items.Select(i => i.GetString()!).Distinct(StringComparer.Ordinal).ToList();
        return users.All(u => u == FilterOperators.Me || catalogue.HasUser(u))
            ? (new ConditionValue { Users = users }, null)
            : (ConditionValue.None, FilterProblems.UserUnknown);
    }

    private static (ConditionValue, string?) GenderList(JsonElement value)
    {
        if (!TryList(value, out var items))
        {
            return (ConditionValue.None, FilterProblems.ValueInvalid);
        }

        if (items.Count == 0)
        {
            return (ConditionValue.None, FilterProblems.ValueRequired);
        }

        var genders = new List<Gender>();
        foreach (var item in items)
        {
            Gender? gender = item.ValueKind != JsonValueKind.String ? null : item.GetString() switch
            {
                "not_given" => Gender.NotGiven,
                "male" => Gender.Male,
                "female" => Gender.Female,
                _ => null,
            };
            if (gender is null)
            {
                return (ConditionValue.None, FilterProblems.ValueInvalid);
            }

            genders.Add(gender.Value);
        }

        return (new ConditionValue { Genders = [.. genders.Distinct()] }, null);
    }

    private static bool TryList(JsonElement value, out List<JsonElement> items)
    {
        items = value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : [];
        return value.ValueKind == JsonValueKind.Array;
    }

    private static bool TryPair(JsonElement value, out JsonElement first, out JsonElement second)
    {
        first = second = default;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2)
        {
            return false;
        }

        first = value[0];
        second = value[1];
        return true;
    }

    private static bool TryNumber(JsonElement value, out double number)
    {
        number = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out number) && double.IsFinite(number);
    }

    private static bool TryDate(JsonElement value, out DateOnly date)
    {
        date = default;

        // Years 1000 to 9998 only, so a range's day before and after always exist.
        return value.ValueKind == JsonValueKind.String
            && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
            && date.Year is >= 1000 and <= 9998;
    }
}
