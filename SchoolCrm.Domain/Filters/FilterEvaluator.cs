using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;

namespace SchoolCrm.Domain.Filters;

/// <summary>
/// The reference meaning of a filter: plain C# over a loaded lead (with its <see cref="Lead.CustomValues"/>,
/// <see cref="Lead.Comments"/> and <see cref="Lead.Tasks"/>).
/// Written apart from <see cref="FilterExpressions"/> on purpose: the differential test runs random filters both ways
/// and expects the same leads. Same rules: broken conditions and emptied groups are left out, a filter whose
/// conditions are all broken matches nothing, one without conditions everything, and a negative operator matches
/// a lead without a value.
/// </summary>
public static class FilterEvaluator
{
    public static bool Matches(CheckedFilter filter, Lead lead, FilterContext context)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(context);
        return Group(filter.Root, lead, context) ?? filter.Conditions.Count == 0;
    }

    // null: the group has nothing that can run, so it has no say in its parent.
    private static bool? Group(CheckedGroup group, Lead lead, FilterContext context)
    {
        var results = group.Members
            .Select(m => m switch
            {
                CheckedGroup nested => Group(nested, lead, context),
                CheckedCondition { IsBroken: false } condition => Condition(condition, lead, context),
                _ => null,
            })
            .OfType<bool>()
            .ToList();
        if (results.Count == 0)
        {
            return null;
        }

        return group.Join == FilterJoin.All ? results.All(r => r) : results.Any(r => r);
    }

    private static bool Condition(CheckedCondition condition, Lead lead, FilterContext context)
    {
        var field = condition.Field!;
        var value = condition.Value;
        var op = condition.Op;
        if (field.CustomFieldId is { } id)
        {
            var rows = lead.CustomValues.Where(v => v.CustomFieldId == id).ToList();
            return op switch
            {
                FilterOperators.IsNot or FilterOperators.NotContains or FilterOperators.NotEqual or FilterOperators.NoneOf or FilterOperators.NotTicked
                    => !rows.Any(r => Holds(field.Type, Twin(op), value, Read(r, field.Type), context)),
                FilterOperators.Empty => !rows.Any(r => Read(r, field.Type) is not null and not ""),
                FilterOperators.AllOf => value.Ids.All(option => rows.Any(r => r.OptionId == option)),
                _ => rows.Any(r => Holds(field.Type, op, value, Read(r, field.Type), context)),
            };
        }

        if (field.Type is LeadFieldType.OverdueTask or LeadFieldType.NextDeadline or LeadFieldType.TaskType)
        {
            return TaskCondition(condition, lead, context);
        }

        var stored = field.Type is LeadFieldType.Text or LeadFieldType.LongText ? FilterText.StoredComparand(field, lead) : field.ReadFrom(lead);
        return op switch
        {
            FilterOperators.IsNot or FilterOperators.NotContains or FilterOperators.NotEqual or FilterOperators.NoneOf or FilterOperators.NotTicked
                => !Holds(field.Type, Twin(op), value, stored, context),
            FilterOperators.Empty => stored is null or "",
            _ => Holds(field.Type, op, value, stored, context),
        };
    }

    // The task conditions over the lead's loaded tasks (Lead.Tasks), read from each task's own state.
    private static bool TaskCondition(CheckedCondition condition, Lead lead, FilterContext context)
    {
        var open = lead.Tasks.Where(t => !t.IsDone).ToList();
        var overdue = open.Any(t => t.DeadlineUtc < context.NowUtc);
        var types = condition.Value.Ids;
        return (condition.Field!.Type, condition.Op) switch
        {
            (LeadFieldType.OverdueTask, FilterOperators.Ticked) => overdue,
            (LeadFieldType.OverdueTask, _) => !overdue,
            (LeadFieldType.NextDeadline, _) => open.Any(t => t.DeadlineUtc >= context.NowUtc
                && DayRange.Of(condition.Op, condition.Value, context.Today).Contains(context.DayOf(t.DeadlineUtc))),
            (LeadFieldType.TaskType, FilterOperators.AnyOf) => lead.Tasks.Any(t => types.Contains(t.TaskTypeId)),
            _ => !lead.Tasks.Any(t => types.Contains(t.TaskTypeId)),
        };
    }

    private static string Twin(string op) => op switch
    {
        FilterOperators.IsNot => FilterOperators.Is,
        FilterOperators.NotContains => FilterOperators.Contains,
        FilterOperators.NotEqual => FilterOperators.Equal,
        FilterOperators.NoneOf => FilterOperators.AnyOf,
        _ => FilterOperators.Ticked,
    };

    private static object? Read(CustomFieldValue row, LeadFieldType type) => type switch
    {
        LeadFieldType.Text or LeadFieldType.LongText => FilterText.StoredCustomComparand(row.TextValue),
        LeadFieldType.Number => row.NumberValue,
        LeadFieldType.Date => row.DateValue,
        LeadFieldType.Checkbox => row.BoolValue,
        _ => row.OptionId,
    };

    // A positive operator on one stored value (null: none).
    private static bool Holds(LeadFieldType type, string op, ConditionValue value, object? stored, FilterContext context)
    {
        if (stored is null)
        {
            return false;
        }

        if (op == FilterOperators.NotEmpty)
        {
            return stored is not "";
        }

        switch (type)
        {
            case LeadFieldType.Text:
            case LeadFieldType.LongText:
                var text = (string)stored;
                var typed = FilterText.FoldValue(value.Text);
                return op switch
                {
                    FilterOperators.Is => string.Equals(text, typed, StringComparison.Ordinal),
                    FilterOperators.Contains => text.Contains(typed, StringComparison.Ordinal),
                    _ => text.StartsWith(typed, StringComparison.Ordinal),
                };

            case LeadFieldType.Number:
                var number = (double)stored;
                return op switch
                {
                    FilterOperators.Equal => number == value.Number,
                    FilterOperators.Less => number < value.Number,
                    FilterOperators.LessOrEqual => number <= value.Number,
                    FilterOperators.Greater => number > value.Number,
                    FilterOperators.GreaterOrEqual => number >= value.Number,
                    _ => number >= value.Number && number <= value.NumberTo,
                };

            case LeadFieldType.Date:
                return DayRange.Of(op, value, context.Today).Contains((DateOnly)stored);

            case LeadFieldType.Instant:
                return DayRange.Of(op, value, context.Today).Contains(context.DayOf((DateTime)stored));

            case LeadFieldType.Checkbox:
                return (bool)stored;

            case LeadFieldType.Status:
                return value.Ids.Contains((int)stored);

            case LeadFieldType.Gender:
                return value.Genders.Contains((Gender)stored);

            case LeadFieldType.User:
                return value.Users.Any(u => (u == FilterOperators.Me ? context.CurrentUserId : u) == (string)stored);

            default:
                return value.Ids.Contains((int)stored);
        }
    }
}
