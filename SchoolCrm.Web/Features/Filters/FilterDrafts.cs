using System.Globalization;
using System.Text.Json;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Leads.Fields;

namespace SchoolCrm.Web.Features.Filters;

/// <summary>What a condition's value editor edits, decided by the field's type and the operator.</summary>
public enum FilterValueKind
{
    None,
    Text,
    Number,
    NumberRange,
    Date,
    DateRange,
    Days,
    Statuses,
    Options,
    Users,
    Genders,
    Imports,
    TaskTypes,
}

/// <summary>A member of a group in the builder: a condition or a nested group, edited in place.</summary>
public abstract class FilterNodeDraft
{
    /// <summary>Identifies the member while it moves around, for Blazor's @key and the tests' ids.</summary>
    public string Key { get; } = Guid.NewGuid().ToString("N")[..10];
}

public sealed class FilterGroupDraft : FilterNodeDraft
{
    public FilterJoin Join { get; set; }

    public List<FilterNodeDraft> Members { get; } = [];

    public IEnumerable<FilterConditionDraft> Conditions =>
        Members.SelectMany(m => m switch
        {
            FilterConditionDraft condition => [condition],
            FilterGroupDraft group => group.Conditions,
            _ => [],
        });

    /// <summary>Moves a member one place up (-1) or down (+1); nothing happens at either end.</summary>
    public void Move(FilterNodeDraft member, int offset)
    {
        var index = Members.IndexOf(member);
        var target = index + offset;
        if (index < 0 || target < 0 || target >= Members.Count)
        {
            return;
        }

        Members.RemoveAt(index);
        Members.Insert(target, member);
    }
}

/// <summary>
/// A condition being edited. Every kind of value has its own slot, so switching between operators of one kind
/// ("is" and "contains", "on" and "before") keeps what was typed; only the slot of the operator's
/// <see cref="FilterValueKind"/> is saved.
/// </summary>
public sealed class FilterConditionDraft : FilterNodeDraft
{
    /// <summary>A catalogue key, or "" before a field is chosen.</summary>
    public string Field { get; set; } = "";

    public string Op { get; set; } = "";

    public string? Text { get; set; }

    public double? Number { get; set; }

    public double? NumberTo { get; set; }

    public DateOnly? Date { get; set; }

    public DateOnly? DateTo { get; set; }

    public int? Days { get; set; }

    /// <summary>Status, option, import or task type ids.</summary>
    public List<int> Ids { get; set; } = [];

    /// <summary>User ids and <see cref="FilterOperators.Me"/>.</summary>
    public List<string> Users { get; set; } = [];

    /// <summary>"male", "female", "not_given", as in the JSON.</summary>
    public List<string> Genders { get; set; } = [];

    /// <summary>
    /// The condition as it was loaded, until the user changes it: saved back unchanged, so a condition the editors
    /// cannot show (a date that is not a date, a deleted field) is kept and marked rather than silently rewritten.
    /// </summary>
    public FilterCondition? Loaded { get; set; }

    /// <summary>The user changed the value (or tried to save): from then on "a value is required" is shown.</summary>
    public bool ValueTouched { get; set; }

    /// <summary>Called by every editor after a change: the condition is from now on what the editors show.</summary>
    public void Changed(bool value = true)
    {
        Loaded = null;
        ValueTouched |= value;
    }
}

/// <summary>
/// The one place where the builder's mutable drafts become the engine's immutable <see cref="Filter"/> and back.
/// Values are written in the shapes of docs/saved-filters.md (dates "yyyy-MM-dd", ranges as pairs, lists as arrays).
/// </summary>
public static class FilterDrafts
{
    /// <summary>The builder's own code for a condition whose field is not chosen yet.</summary>
    public const string FieldRequired = "filter.field_required";

    public static string[] GenderValues { get; } = ["female", "male", "not_given"];

    /// <summary>
    /// The editor a field type and operator need. Keyed by <see cref="LeadFieldType"/> so that a new type is one
    /// case here (and one editor in FilterConditionEditor).
    /// </summary>
    public static FilterValueKind KindOf(LeadFieldType type, string op)
    {
        if (FilterOperators.TakesNoValue(op) || !FilterOperators.For(type).Contains(op))
        {
            return FilterValueKind.None;
        }

        return type switch
        {
            LeadFieldType.Text or LeadFieldType.LongText => FilterValueKind.Text,
            LeadFieldType.Number => op == FilterOperators.Between ? FilterValueKind.NumberRange : FilterValueKind.Number,
            LeadFieldType.Date or LeadFieldType.Instant => op switch
            {
                FilterOperators.Between => FilterValueKind.DateRange,
                FilterOperators.LastDays or FilterOperators.NextDays or FilterOperators.OlderThanDays => FilterValueKind.Days,
                _ => FilterValueKind.Date,
            },
            LeadFieldType.Status => FilterValueKind.Statuses,
            LeadFieldType.SingleChoice or LeadFieldType.MultipleChoice => FilterValueKind.Options,
            LeadFieldType.User => FilterValueKind.Users,
            LeadFieldType.Gender => FilterValueKind.Genders,
            LeadFieldType.Import => FilterValueKind.Imports,
            LeadFieldType.NextDeadline => FilterValueKind.Days,
            LeadFieldType.TaskType => FilterValueKind.TaskTypes,
            _ => FilterValueKind.None,
        };
    }

    public static FilterValueKind KindOf(FilterConditionDraft draft, FilterCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(catalogue);
        return catalogue.Field(draft.Field) is { } field ? KindOf(field.Type, draft.Op) : FilterValueKind.None;
    }

    /// <summary>A new, empty root ("all of").</summary>
    public static FilterGroupDraft NewRoot() => new() { Join = FilterJoin.All };

    public static FilterGroupDraft FromFilter(Filter filter, FilterCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(catalogue);
        return FromGroup(filter.Root, catalogue);
    }

    public static Filter ToFilter(FilterGroupDraft root, FilterCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(catalogue);
        return new Filter(ToGroup(root, catalogue, _ => true));
    }

    /// <summary>The filter without the conditions that cannot run yet (the preview ignores what is still being typed).</summary>
    public static Filter Runnable(FilterGroupDraft root, FilterCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(catalogue);
        return new Filter(ToGroup(root, catalogue, c => Problem(c, catalogue) is null));
    }

    /// <summary>Why the condition cannot run (a <see cref="FilterProblems"/> code or <see cref="FieldRequired"/>), or null.</summary>
    public static string? Problem(FilterConditionDraft draft, FilterCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(catalogue);
        return draft.Field.Length == 0 && draft.Loaded is null
            ? FieldRequired
            : FilterCheck.Condition(ToCondition(draft, catalogue), catalogue).Problem;
    }

    public static FilterCondition ToCondition(FilterConditionDraft draft, FilterCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(catalogue);
        if (draft.Loaded is { } loaded)
        {
            return loaded;
        }

        object? value = KindOf(draft, catalogue) switch
        {
            FilterValueKind.Text => string.IsNullOrWhiteSpace(draft.Text) ? null : draft.Text.Trim(),
            FilterValueKind.Number => draft.Number,
            FilterValueKind.NumberRange => draft is { Number: { } min, NumberTo: { } max } ? new[] { min, max } : null,
            FilterValueKind.Date => draft.Date is { } date ? Day(date) : null,
            FilterValueKind.DateRange => draft is { Date: { } from, DateTo: { } to } ? new[] { Day(from), Day(to) } : null,
            FilterValueKind.Days => draft.Days,
            FilterValueKind.Statuses or FilterValueKind.Options or FilterValueKind.Imports or FilterValueKind.TaskTypes => draft.Ids.Count == 0 ? null : draft.Ids.ToArray(),
            FilterValueKind.Users => draft.Users.Count == 0 ? null : draft.Users.ToArray(),
            FilterValueKind.Genders => draft.Genders.Count == 0 ? null : draft.Genders.ToArray(),
            _ => null,
        };
        return FilterCondition.Of(draft.Field, draft.Op, value);
    }

    /// <summary>
    /// A new field was chosen: a field of another type (or another choice field, whose options differ) starts with its
    /// first operator and no value; one of the same type keeps operator and value.
    /// </summary>
    public static void ChangeField(FilterConditionDraft draft, string field, FilterCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(catalogue);
        var before = catalogue.Field(draft.Field);
        var after = catalogue.Field(field);
        draft.Field = field;
        draft.Changed(value: false);
        var keeps = before is not null && after is not null && before.Type == after.Type
            && after.Type is not (LeadFieldType.SingleChoice or LeadFieldType.MultipleChoice);
        if (keeps)
        {
            return;
        }

        var ops = after is null ? [] : FilterOperators.For(after.Type);
        draft.Op = ops.Count > 0 ? ops[0] : "";
        draft.Text = null;
        draft.Number = draft.NumberTo = null;
        draft.Date = draft.DateTo = null;
        draft.Days = null;
        draft.Ids = [];
        draft.Users = [];
        draft.Genders = [];
        draft.ValueTouched = false;
    }

    /// <summary>The depth of the deepest group under <paramref name="group"/>, itself counting as one.</summary>
    public static int Depth(FilterGroupDraft group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return 1 + group.Members.OfType<FilterGroupDraft>().Select(Depth).DefaultIfEmpty(0).Max();
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static FilterGroupDraft FromGroup(FilterGroup group, FilterCatalogue catalogue)
    {
        var draft = new FilterGroupDraft { Join = group.Join };
        foreach (var member in group.Members)
        {
            draft.Members.Add(member switch
            {
                FilterGroup nested => FromGroup(nested, catalogue),
                FilterCondition condition => FromCondition(condition, catalogue),
                _ => throw new ArgumentException("Unknown filter node.", nameof(group)),
            });
        }

        return draft;
    }

    // The editors show what parses; the condition itself is kept as loaded until the user changes it.
    private static FilterConditionDraft FromCondition(FilterCondition condition, FilterCatalogue catalogue)
    {
        var draft = new FilterConditionDraft { Field = condition.Field, Op = condition.Op, Loaded = condition };
        if (condition.Value is not { } value)
        {
            return draft;
        }

        switch (KindOf(draft, catalogue))
        {
            case FilterValueKind.Text:
                draft.Text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                break;
            case FilterValueKind.Number:
                draft.Number = NumberOf(value);
                break;
            case FilterValueKind.NumberRange:
                draft.Number = NumberOf(Item(value, 0));
                draft.NumberTo = NumberOf(Item(value, 1));
                break;
            case FilterValueKind.Date:
                draft.Date = DateOf(value);
                break;
            case FilterValueKind.DateRange:
                draft.Date = DateOf(Item(value, 0));
                draft.DateTo = DateOf(Item(value, 1));
                break;
            case FilterValueKind.Days:
                draft.Days = value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var days) ? days : null;
                break;
            case FilterValueKind.Statuses:
            case FilterValueKind.Options:
            case FilterValueKind.Imports:
            case FilterValueKind.TaskTypes:
                draft.Ids = [.. Items(value).Where(i => i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out _)).Select(i => i.GetInt32())];
                break;
            case FilterValueKind.Users:
                draft.Users = [.. Items(value).Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!)];
                break;
            case FilterValueKind.Genders:
                draft.Genders = [.. Items(value).Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!)];
                break;
        }

        return draft;
    }

    private static FilterGroup ToGroup(FilterGroupDraft group, FilterCatalogue catalogue, Func<FilterConditionDraft, bool> include)
    {
        var members = new List<FilterNode>();
        foreach (var member in group.Members)
        {
            switch (member)
            {
                case FilterGroupDraft nested:
                    members.Add(ToGroup(nested, catalogue, include));
                    break;
                case FilterConditionDraft condition when include(condition):
                    members.Add(ToCondition(condition, catalogue));
                    break;
            }
        }

        return new FilterGroup(group.Join, members);
    }

    private static List<JsonElement> Items(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : [];

    private static JsonElement Item(JsonElement value, int index) =>
        value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > index ? value[index] : default;

    private static double? NumberOf(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) ? number : null;

    private static DateOnly? DateOf(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;
}
