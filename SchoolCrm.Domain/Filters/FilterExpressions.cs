using System.Linq.Expressions;
using System.Reflection;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;

namespace SchoolCrm.Domain.Filters;

/// <summary>
/// Turns a checked filter into an <c>Expression&lt;Func&lt;Lead, bool&gt;&gt;</c> that EF Core translates into the
/// WHERE of one SQL statement. Only catalogue fields and the operators of their type are translated (the check
/// has refused everything else); every value the user chose enters as a captured variable, which EF Core sends as
/// a parameter, never as SQL text. A custom-field condition is an EXISTS over the lead's typed values.
/// </summary>
/// <remarks>
/// Broken conditions are left out of their group; a group left without members is left out of its parent; a
/// filter left without anything matches no lead if it had conditions (all broken), every lead if it never had any.
/// Negative operators (is not, does not contain, ≠, is none of, not ticked, empty) are the negation of their positive
/// twin, so a lead without a value matches them.
/// </remarks>
public static class FilterExpressions
{
    private static readonly MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo StringStartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;

    private static readonly MethodInfo AnyValue = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Any) && m.GetParameters().Length == 2)
        .MakeGenericMethod(typeof(CustomFieldValue));

    public static Expression<Func<Lead, bool>> ToExpression(CheckedFilter filter, FilterContext context)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(context);
        var lead = Expression.Parameter(typeof(Lead), "l");
        var body = Group(filter.Root, lead, context) ?? Expression.Constant(filter.Conditions.Count == 0);
        return Expression.Lambda<Func<Lead, bool>>(body, lead);
    }

    /// <summary>The catalogue's value expression of a standard field, read from <paramref name="lead"/>.</summary>
    internal static Expression ValueOf(LeadField field, Expression lead) => Replace(field.Value, lead);

    /// <summary>The body of a one-parameter lambda over a lead, read from <paramref name="lead"/>.</summary>
    internal static Expression Replace(LambdaExpression read, Expression lead) =>
        new ReplaceParameter(read.Parameters[0], lead).Visit(read.Body);

    private static Expression? Group(CheckedGroup group, ParameterExpression lead, FilterContext context)
    {
        Expression? joined = null;
        foreach (var member in group.Members)
        {
            var part = member switch
            {
                CheckedGroup nested => Group(nested, lead, context),
                CheckedCondition { IsBroken: false } condition => Condition(condition, lead, context),
                _ => null,
            };
            if (part is not null)
            {
                joined = joined is null ? part
                    : group.Join == FilterJoin.All ? Expression.AndAlso(joined, part)
                    : Expression.OrElse(joined, part);
            }
        }

        return joined;
    }

    private static Expression Condition(CheckedCondition condition, ParameterExpression lead, FilterContext context)
    {
        var field = condition.Field!;
        var (op, negate) = Positive(condition.Op);
        Expression positive;
        if (field.CustomFieldId is { } fieldId)
        {
            if (op == FilterOperators.AllOf)
            {
                // Every chosen option has its own row: one EXISTS per option.
                positive = condition.Value.Ids
                    .Select(id => (Expression)CustomValueExists(lead, fieldId, v => Expression.Equal(Column(v, field.Type), Captured<int?>(id))))
                    .Aggregate((all, next) => Expression.AndAlso(all, next));
            }
            else
            {
                positive = CustomValueExists(lead, fieldId, v => field.Type is LeadFieldType.Text or LeadFieldType.LongText
                    ? TextPredicate(op, condition.Value, FilterText.OfCustomValue(v))
                    : Predicate(field.Type, op, condition.Value, Column(v, field.Type), context));
            }
        }
        else
        {
            positive = field.Type is LeadFieldType.Text or LeadFieldType.LongText
                ? TextPredicate(op, condition.Value, FilterText.Comparand(field, lead))
                : Predicate(field.Type, op, condition.Value, ValueOf(field, lead), context);
        }

        return negate ? Expression.Not(positive) : positive;
    }

    /// <summary>The positive operator a condition is built from, and whether it is negated.</summary>
    internal static (string Op, bool Negate) Positive(string op) => op switch
    {
        FilterOperators.IsNot => (FilterOperators.Is, true),
        FilterOperators.NotContains => (FilterOperators.Contains, true),
        FilterOperators.Empty => (FilterOperators.NotEmpty, true),
        FilterOperators.NotEqual => (FilterOperators.Equal, true),
        FilterOperators.NoneOf => (FilterOperators.AnyOf, true),
        FilterOperators.NotTicked => (FilterOperators.Ticked, true),
        _ => (op, false),
    };

    // l.CustomValues.Any(v => v.CustomFieldId == id && predicate(v))
    private static MethodCallExpression CustomValueExists(ParameterExpression lead, int fieldId, Func<ParameterExpression, Expression> predicate)
    {
        var v = Expression.Parameter(typeof(CustomFieldValue), "v");
        var body = Expression.AndAlso(
            Expression.Equal(Expression.Property(v, nameof(CustomFieldValue.CustomFieldId)), Captured(fieldId)),
            predicate(v));
        return Expression.Call(AnyValue, Expression.Property(lead, nameof(Lead.CustomValues)), Expression.Lambda<Func<CustomFieldValue, bool>>(body, v));
    }

    // The typed column of a custom value (text aside).
    private static MemberExpression Column(ParameterExpression v, LeadFieldType type) => type switch
    {
        LeadFieldType.Number => Expression.Property(v, nameof(CustomFieldValue.NumberValue)),
        LeadFieldType.Date => Expression.Property(v, nameof(CustomFieldValue.DateValue)),
        LeadFieldType.Checkbox => Expression.Property(v, nameof(CustomFieldValue.BoolValue)),
        LeadFieldType.SingleChoice or LeadFieldType.MultipleChoice => Expression.Property(v, nameof(CustomFieldValue.OptionId)),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Custom fields have no such type."),
    };

    // A positive operator on a value; "has a value" is part of every predicate, so its negation includes leads without one.
    private static Expression Predicate(LeadFieldType type, string op, ConditionValue value, Expression x, FilterContext context)
    {
        switch (type)
        {
            case LeadFieldType.Number:
                var number = Nullable(x, typeof(double?));
                var hasNumber = Expression.NotEqual(number, Expression.Constant(null, typeof(double?)));
                return op switch
                {
                    FilterOperators.NotEmpty => hasNumber,
                    FilterOperators.Equal => Expression.AndAlso(hasNumber, Expression.Equal(number, Captured<double?>(value.Number))),
                    FilterOperators.Less => Expression.AndAlso(hasNumber, Expression.LessThan(number, Captured<double?>(value.Number))),
                    FilterOperators.LessOrEqual => Expression.AndAlso(hasNumber, Expression.LessThanOrEqual(number, Captured<double?>(value.Number))),
                    FilterOperators.Greater => Expression.AndAlso(hasNumber, Expression.GreaterThan(number, Captured<double?>(value.Number))),
                    FilterOperators.GreaterOrEqual => Expression.AndAlso(hasNumber, Expression.GreaterThanOrEqual(number, Captured<double?>(value.Number))),
                    FilterOperators.Between => Expression.AndAlso(
                        hasNumber,
                        Expression.AndAlso(
                            Expression.GreaterThanOrEqual(number, Captured<double?>(value.Number)),
                            Expression.LessThanOrEqual(number, Captured<double?>(value.NumberTo)))),
                    _ => throw Unexpected(op),
                };

            case LeadFieldType.Date:
                var date = Nullable(x, typeof(DateOnly?));
                var hasDate = Expression.NotEqual(date, Expression.Constant(null, typeof(DateOnly?)));
                if (op == FilterOperators.NotEmpty)
                {
                    return hasDate;
                }

                var days = DayRange.Of(op, value, context.Today);
                return Within(hasDate, date, days.First, days.Last?.AddDays(1));

            case LeadFieldType.Instant:
                var instant = Nullable(x, typeof(DateTime?));
                var hasInstant = Expression.NotEqual(instant, Expression.Constant(null, typeof(DateTime?)));
                if (op == FilterOperators.NotEmpty)
                {
                    return hasInstant;
                }

                var range = DayRange.Of(op, value, context.Today);
                return Within<DateTime>(
                    hasInstant,
                    instant,
                    range.First is { } first ? context.StartOfDayUtc(first) : null,
                    range.Last is { } last ? context.StartOfDayUtc(last.AddDays(1)) : null);

            case LeadFieldType.Checkbox:
                return op == FilterOperators.Ticked ? Expression.Equal(Nullable(x, typeof(bool?)), Expression.Constant(true, typeof(bool?))) : throw Unexpected(op);

            case LeadFieldType.Status:
                return op == FilterOperators.AnyOf ? In(x, value.Ids.ToList()) : throw Unexpected(op);

            case LeadFieldType.Gender:
                return op == FilterOperators.AnyOf ? In(x, value.Genders.ToList()) : throw Unexpected(op);

            case LeadFieldType.User:
                var hasUser = Expression.NotEqual(x, Expression.Constant(null, typeof(string)));
                return op switch
                {
                    FilterOperators.NotEmpty => hasUser,
                    FilterOperators.AnyOf => Expression.AndAlso(hasUser, In(x, value.Users.Select(u => u == FilterOperators.Me ? context.CurrentUserId : u).ToList())),
                    _ => throw Unexpected(op),
                };

            case LeadFieldType.OverdueTask:
                // Some open task's deadline has passed: My tasks' Overdue (a task due at 09:00 is overdue at 09:01).
                return op == FilterOperators.Ticked
                    ? Exists<DateTime>(x, deadline => Expression.LessThan(deadline, Captured(context.NowUtc)))
                    : throw Unexpected(op);

            case LeadFieldType.NextDeadline:
                // Some open task's deadline is still ahead (not overdue) and on one of the days of "in the next N days".
                if (op != FilterOperators.NextDays)
                {
                    throw Unexpected(op);
                }

                var end = context.StartOfDayUtc(DayRange.Of(op, value, context.Today).Last!.Value.AddDays(1));
                return Exists<DateTime>(x, deadline => Expression.AndAlso(
                    Expression.GreaterThanOrEqual(deadline, Captured(context.NowUtc)),
                    Expression.LessThan(deadline, Captured(end))));

            case LeadFieldType.TaskType:
                return op == FilterOperators.AnyOf ? Exists<int>(x, type => In(type, value.Ids.ToList())) : throw Unexpected(op);

            case LeadFieldType.SingleChoice:
            case LeadFieldType.MultipleChoice:
            case LeadFieldType.Import:
                var option = Nullable(x, typeof(int?));
                var hasOption = Expression.NotEqual(option, Expression.Constant(null, typeof(int?)));
                return op switch
                {
                    FilterOperators.NotEmpty => hasOption,
                    FilterOperators.AnyOf => Expression.AndAlso(hasOption, In(option, value.Ids.Select(id => (int?)id).ToList())),
                    _ => throw Unexpected(op),
                };

            default:
                throw Unexpected(op);
        }
    }

    // Text compares folded (FilterText); the typed value is folded here, once.
    private static BinaryExpression TextPredicate(string op, ConditionValue value, (Expression HasText, Expression Folded) text)
    {
        var (present, x) = text;
        var typed = FilterText.FoldValue(value.Text);
        return op switch
        {
            FilterOperators.Is => Expression.AndAlso(present, Expression.Equal(x, Captured(typed))),
            FilterOperators.Contains => Expression.AndAlso(present, Expression.Call(x, StringContains, Captured(typed))),
            FilterOperators.StartsWith => Expression.AndAlso(present, Expression.Call(x, StringStartsWith, Captured(typed))),
            FilterOperators.NotEmpty => Expression.AndAlso(present, Expression.NotEqual(x, Expression.Constant(""))),
            _ => throw Unexpected(op),
        };
    }

    // first <= x < end, for the ends that are given (a date column compares with dates, an instant with instants).
    private static Expression Within<T>(Expression present, Expression x, T? first, T? end)
        where T : struct
    {
        var result = present;
        if (first is not null)
        {
            result = Expression.AndAlso(result, Expression.GreaterThanOrEqual(x, Captured(first)));
        }

        if (end is not null)
        {
            result = Expression.AndAlso(result, Expression.LessThan(x, Captured(end)));
        }

        return result;
    }

    // items.Any(item => predicate(item)) over what a field reads from another table (a lead's tasks): an EXISTS.
    private static MethodCallExpression Exists<T>(Expression items, Func<ParameterExpression, Expression> predicate)
    {
        var item = Expression.Parameter(typeof(T), "t");
        return Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [typeof(T)], items, Expression.Lambda<Func<T, bool>>(predicate(item), item));
    }

    private static MethodCallExpression In<T>(Expression x, List<T> values) =>
        Expression.Call(Captured(values), typeof(List<T>).GetMethod(nameof(List<T>.Contains))!, Nullable(x, typeof(T)));

    private static Expression Nullable(Expression x, Type type) => x.Type == type ? x : Expression.Convert(x, type);

    /// <summary>A value as a captured variable (a field of a closure object), which EF Core turns into a parameter.</summary>
    private static MemberExpression Captured<T>(T value) =>
        Expression.Property(Expression.Constant(new Box<T>(value)), nameof(Box<T>.Value));

    private static ArgumentOutOfRangeException Unexpected(string op) => new(nameof(op), op, "The check lets no such operator through.");

    private sealed class Box<T>(T value)
    {
        public T Value { get; } = value;
    }

    private sealed class ReplaceParameter(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : base.VisitParameter(node);
    }
}
