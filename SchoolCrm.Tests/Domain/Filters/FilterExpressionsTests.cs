using System.Linq.Expressions;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Leads;
using static SchoolCrm.Tests.Domain.Filters.FilterTestKit;

namespace SchoolCrm.Tests.Domain.Filters;

/// <summary>
/// Each operator of each type, translated to an expression and run over three leads in memory, and the reference
/// evaluator on the same leads: both pick the expected ones. (That the expression is also SQL, and the same SQL
/// result, is proven in Features/Filters.)
/// </summary>
public sealed class FilterExpressionsTests
{
    // Anna's newest comment is from today (00:30 in Rome), Bruno's only one from 24 November (23:59 in Rome), Carla has none.
    private static readonly Lead Anna = Commented(Lead(
        new PersonDetails
        {
            FirstName = "Anna", LastName = "Müller", City = "München", Zip = "39100", CaptureDate = new DateOnly(2026, 11, 28),
            DateOfBirth = new DateOnly(2010, 5, 1), PrivacyConsent = true, Gender = Gender.Female, Notes = @"Likes 100% maths_club \ x",
        },
        status: New,
        assignee: Me,
        createdUtc: new DateTime(2026, 11, 30, 23, 30, 0, DateTimeKind.Utc),
        import: SpringImport,
        CustomValueInput.OfOptions(Interests.Id, 11, 12),
        CustomValueInput.OfText(School.Id, "Liceo Galilei"),
        CustomValueInput.OfNumber(Siblings.Id, 2),
        CustomValueInput.OfDate(OpenDay.Id, new DateOnly(2026, 12, 5)),
        CustomValueInput.OfCheckbox(Newsletter.Id, true),
        CustomValueInput.OfOptions(Source.Id, 61),
        CustomValueInput.OfText(OldCode.Id, "A-1")),
        new DateTime(2026, 10, 1, 8, 0, 0, DateTimeKind.Utc),
        new DateTime(2026, 11, 30, 23, 30, 0, DateTimeKind.Utc));

    private static readonly Lead Bruno = Commented(Lead(
        new PersonDetails
        {
            FirstName = "Bruno", LastName = "Rossi", City = "Bolzano", CaptureDate = new DateOnly(2026, 11, 1), Gender = Gender.Male,
        },
        status: Contacted,
        assignee: Other,
        createdUtc: new DateTime(2026, 11, 30, 22, 30, 0, DateTimeKind.Utc),
        import: FairImport,
        CustomValueInput.OfOptions(Interests.Id, 13),
        CustomValueInput.OfNumber(Siblings.Id, 0),
        CustomValueInput.OfDate(OpenDay.Id, new DateOnly(2026, 10, 15)),
        CustomValueInput.OfOptions(Source.Id, 62)),
        new DateTime(2026, 11, 24, 22, 59, 0, DateTimeKind.Utc));

    private static readonly Lead Carla = Lead(
        new PersonDetails { FirstName = "Carla", CaptureDate = new DateOnly(2025, 12, 31) },
        status: Enrolled,
        createdUtc: new DateTime(2026, 6, 1, 10, 0, 0, DateTimeKind.Utc));

    private static readonly Lead[] Leads = [Anna, Bruno, Carla];

    [Theory]
    [InlineData("""{"field":"city","op":"is","value":"munchen"}""", "Anna")]
    [InlineData("""{"field":"city","op":"is","value":"MÜNCHEN"}""", "Anna")]
    [InlineData("""{"field":"city","op":"is","value":"Mün"}""", "")]
    [InlineData("""{"field":"city","op":"is_not","value":"bolzano"}""", "Anna,Carla")]
    [InlineData("""{"field":"city","op":"contains","value":"ZAN"}""", "Bruno")]
    [InlineData("""{"field":"city","op":"not_contains","value":"o"}""", "Anna,Carla")]
    [InlineData("""{"field":"city","op":"starts_with","value":"bol"}""", "Bruno")]
    [InlineData("""{"field":"city","op":"starts_with","value":"zano"}""", "")]
    [InlineData("""{"field":"city","op":"empty"}""", "Carla")]
    [InlineData("""{"field":"city","op":"not_empty"}""", "Anna,Bruno")]
    [InlineData("""{"field":"lastname","op":"is","value":"MULLER"}""", "Anna")]
    [InlineData("""{"field":"firstname","op":"not_empty"}""", "Anna,Bruno,Carla")]
    [InlineData("""{"field":"notes","op":"contains","value":"100% m"}""", "Anna")]
    [InlineData("""{"field":"notes","op":"contains","value":"100%m"}""", "")]
    [InlineData("""{"field":"notes","op":"contains","value":"s_c"}""", "Anna")]
    [InlineData("""{"field":"notes","op":"contains","value":"s_"}""", "Anna")]
    [InlineData("""{"field":"notes","op":"contains","value":"sxc"}""", "")]
    [InlineData("""{"field":"notes","op":"contains","value":"\\ x"}""", "Anna")]
    [InlineData("""{"field":"notes","op":"starts_with","value":"_"}""", "")]
    [InlineData("""{"field":"notes","op":"starts_with","value":"%"}""", "")]
    [InlineData("""{"field":"zip","op":"starts_with","value":"391"}""", "Anna")]
    [InlineData("""{"field":"cf2","op":"contains","value":"GALILEI"}""", "Anna")]
    [InlineData("""{"field":"cf2","op":"not_contains","value":"x"}""", "Anna,Bruno,Carla")]
    [InlineData("""{"field":"cf2","op":"is_not","value":"liceo galilei"}""", "Bruno,Carla")]
    [InlineData("""{"field":"cf2","op":"empty"}""", "Bruno,Carla")]
    [InlineData("""{"field":"cf7","op":"is","value":"a-1"}""", "Anna")]
    public void Text_conditions(string condition, string expected) => AssertMatches(condition, expected);

    [Theory]
    [InlineData("""{"field":"cf3","op":"eq","value":2}""", "Anna")]
    [InlineData("""{"field":"cf3","op":"ne","value":2}""", "Bruno,Carla")]
    [InlineData("""{"field":"cf3","op":"lt","value":2}""", "Bruno")]
    [InlineData("""{"field":"cf3","op":"le","value":2}""", "Anna,Bruno")]
    [InlineData("""{"field":"cf3","op":"gt","value":0}""", "Anna")]
    [InlineData("""{"field":"cf3","op":"ge","value":0}""", "Anna,Bruno")]
    [InlineData("""{"field":"cf3","op":"between","value":[0,1.5]}""", "Bruno")]
    [InlineData("""{"field":"cf3","op":"between","value":[2,2]}""", "Anna")]
    [InlineData("""{"field":"cf3","op":"empty"}""", "Carla")]
    [InlineData("""{"field":"cf3","op":"not_empty"}""", "Anna,Bruno")]
    public void Number_conditions(string condition, string expected) => AssertMatches(condition, expected);

    [Theory]
    [InlineData("""{"field":"captured","op":"on","value":"2026-11-28"}""", "Anna")]
    [InlineData("""{"field":"captured","op":"before","value":"2026-11-28"}""", "Bruno,Carla")]
    [InlineData("""{"field":"captured","op":"after","value":"2026-11-01"}""", "Anna")]
    [InlineData("""{"field":"captured","op":"between","value":["2026-11-01","2026-11-28"]}""", "Anna,Bruno")]
    [InlineData("""{"field":"captured","op":"today"}""", "")]
    [InlineData("""{"field":"captured","op":"last_days","value":4}""", "Anna")]
    [InlineData("""{"field":"captured","op":"last_days","value":3}""", "")]
    [InlineData("""{"field":"captured","op":"this_month"}""", "")]
    [InlineData("""{"field":"captured","op":"last_month"}""", "Anna,Bruno")]
    [InlineData("""{"field":"captured","op":"this_year"}""", "Anna,Bruno")]
    [InlineData("""{"field":"captured","op":"empty"}""", "")]
    [InlineData("""{"field":"born","op":"empty"}""", "Bruno,Carla")]
    [InlineData("""{"field":"born","op":"before","value":"2011-01-01"}""", "Anna")]
    [InlineData("""{"field":"cf4","op":"next_days","value":5}""", "Anna")]
    [InlineData("""{"field":"cf4","op":"next_days","value":4}""", "")]
    [InlineData("""{"field":"cf4","op":"this_month"}""", "Anna")]
    [InlineData("""{"field":"cf4","op":"before","value":"2026-12-05"}""", "Bruno")]
    [InlineData("""{"field":"cf4","op":"empty"}""", "Carla")]
    public void Date_conditions_count_from_the_day_the_filter_runs(string condition, string expected) => AssertMatches(condition, expected);

    // Anna was created at 00:30 on 1 December in Rome (23:30 UTC the day before), Bruno at 23:30 on 30 November.
    [Theory]
    [InlineData("""{"field":"created","op":"today"}""", "Anna")]
    [InlineData("""{"field":"created","op":"on","value":"2026-11-30"}""", "Bruno")]
    [InlineData("""{"field":"created","op":"last_days","value":2}""", "Anna,Bruno")]
    [InlineData("""{"field":"created","op":"before","value":"2026-12-01"}""", "Bruno,Carla")]
    [InlineData("""{"field":"created","op":"after","value":"2026-11-30"}""", "Anna")]
    [InlineData("""{"field":"created","op":"between","value":["2026-06-01","2026-11-30"]}""", "Bruno,Carla")]
    [InlineData("""{"field":"updated","op":"this_year"}""", "Anna,Bruno,Carla")]
    [InlineData("""{"field":"updated","op":"not_empty"}""", "Anna,Bruno,Carla")]
    public void Instants_fall_on_the_day_they_have_in_the_school_time_zone(string condition, string expected) => AssertMatches(condition, expected);

    [Theory]
    [InlineData("""{"field":"privacy","op":"ticked"}""", "Anna")]
    [InlineData("""{"field":"privacy","op":"not_ticked"}""", "Bruno,Carla")]
    [InlineData("""{"field":"cf5","op":"ticked"}""", "Anna")]
    [InlineData("""{"field":"cf5","op":"not_ticked"}""", "Bruno,Carla")]
    public void Checkbox_conditions(string condition, string expected) => AssertMatches(condition, expected);

    // "Older than N days" is the days before the last N: on 1 December, older than 7 days is 24 November or earlier.
    [Theory]
    [InlineData("""{"field":"captured","op":"older_than_days","value":3}""", "Anna,Bruno,Carla")]
    [InlineData("""{"field":"captured","op":"older_than_days","value":4}""", "Bruno,Carla")]
    [InlineData("""{"field":"born","op":"older_than_days","value":30}""", "Anna")]
    [InlineData("""{"field":"created","op":"older_than_days","value":1}""", "Bruno,Carla")]
    [InlineData("""{"field":"cf4","op":"older_than_days","value":1}""", "Bruno")]
    public void Older_than_n_days_is_before_the_last_n_days_and_never_matches_an_empty_value(string condition, string expected) => AssertMatches(condition, expected);

    [Theory]
    [InlineData("""{"field":"comments","op":"ticked"}""", "Anna,Bruno")]
    [InlineData("""{"field":"comments","op":"not_ticked"}""", "Carla")]
    [InlineData("""{"field":"lastcomment","op":"older_than_days","value":7}""", "Bruno")]
    [InlineData("""{"field":"lastcomment","op":"older_than_days","value":8}""", "")]
    [InlineData("""{"field":"lastcomment","op":"older_than_days","value":1}""", "Bruno")]
    [InlineData("""{"field":"lastcomment","op":"last_days","value":7}""", "Anna")]
    [InlineData("""{"field":"lastcomment","op":"today"}""", "Anna")]
    [InlineData("""{"field":"lastcomment","op":"on","value":"2026-11-24"}""", "Bruno")]
    [InlineData("""{"field":"lastcomment","op":"before","value":"2026-12-01"}""", "Bruno")]
    [InlineData("""{"field":"lastcomment","op":"empty"}""", "Carla")]
    [InlineData("""{"field":"lastcomment","op":"not_empty"}""", "Anna,Bruno")]
    public void Comment_conditions_look_at_whether_there_is_one_and_at_the_newest(string condition, string expected) => AssertMatches(condition, expected);

    [Theory]
    [InlineData("""{"field":"import","op":"any_of","value":[7]}""", "Anna")]
    [InlineData("""{"field":"import","op":"any_of","value":[7,8]}""", "Anna,Bruno")]
    [InlineData("""{"field":"import","op":"none_of","value":[7]}""", "Bruno,Carla")]
    [InlineData("""{"field":"import","op":"none_of","value":[7,8]}""", "Carla")]
    public void Import_conditions_pick_the_leads_an_import_brought_in(string condition, string expected) => AssertMatches(condition, expected);

    [Theory]
    [InlineData("""{"field":"status","op":"any_of","value":[1,2]}""", "Anna,Bruno")]
    [InlineData("""{"field":"status","op":"none_of","value":[1]}""", "Bruno,Carla")]
    [InlineData("""{"field":"gender","op":"any_of","value":["female"]}""", "Anna")]
    [InlineData("""{"field":"gender","op":"none_of","value":["male"]}""", "Anna,Carla")]
    [InlineData("""{"field":"gender","op":"any_of","value":["not_given"]}""", "Carla")]
    [InlineData("""{"field":"assignee","op":"any_of","value":["me"]}""", "Anna")]
    [InlineData("""{"field":"assignee","op":"any_of","value":["user-other"]}""", "Bruno")]
    [InlineData("""{"field":"assignee","op":"none_of","value":["me"]}""", "Bruno,Carla")]
    [InlineData("""{"field":"assignee","op":"empty"}""", "Carla")]
    [InlineData("""{"field":"assignee","op":"not_empty"}""", "Anna,Bruno")]
    [InlineData("""{"field":"createdby","op":"any_of","value":["user-other"]}""", "Anna,Bruno,Carla")]
    [InlineData("""{"field":"updatedby","op":"any_of","value":["me"]}""", "")]
    [InlineData("""{"field":"cf6","op":"any_of","value":[61]}""", "Anna")]
    [InlineData("""{"field":"cf6","op":"none_of","value":[61]}""", "Bruno,Carla")]
    [InlineData("""{"field":"cf6","op":"empty"}""", "Carla")]
    [InlineData("""{"field":"cf1","op":"any_of","value":[12,13]}""", "Anna,Bruno")]
    [InlineData("""{"field":"cf1","op":"all_of","value":[11,12]}""", "Anna")]
    [InlineData("""{"field":"cf1","op":"all_of","value":[11,13]}""", "")]
    [InlineData("""{"field":"cf1","op":"none_of","value":[11]}""", "Bruno,Carla")]
    [InlineData("""{"field":"cf1","op":"empty"}""", "Carla")]
    [InlineData("""{"field":"cf1","op":"not_empty"}""", "Anna,Bruno")]
    public void Choice_status_and_user_conditions(string condition, string expected) => AssertMatches(condition, expected);

    [Theory]
    [InlineData("""{"v":1,"all":[{"field":"privacy","op":"not_ticked"},{"any":[{"field":"status","op":"any_of","value":[2]},{"field":"city","op":"empty"}]}]}""", "Bruno,Carla")]
    [InlineData("""{"v":1,"any":[{"field":"cf3","op":"eq","value":2},{"all":[{"field":"city","op":"empty"},{"any":[{"field":"status","op":"any_of","value":[3]}]}]}]}""", "Anna,Carla")]
    [InlineData("""{"v":1,"all":[]}""", "Anna,Bruno,Carla")]
    [InlineData("""{"v":1,"any":[]}""", "Anna,Bruno,Carla")]
    [InlineData("""{"v":1,"all":[{"any":[]},{"field":"city","op":"empty"}]}""", "Carla")]
    public void Groups_combine_with_and_and_or(string filter, string expected) => AssertFilter(filter, expected);

    // A broken condition is left out of its group: in "all of" the rest must hold, in "any of" one of the rest.
    [Theory]
    [InlineData("""{"v":1,"all":[{"field":"cf999","op":"empty"},{"field":"city","op":"empty"}]}""", "Carla")]
    [InlineData("""{"v":1,"any":[{"field":"cf999","op":"empty"},{"field":"city","op":"empty"}]}""", "Carla")]
    [InlineData("""{"v":1,"all":[{"field":"status","op":"any_of","value":[1,2]},{"any":[{"field":"cf1","op":"any_of","value":[99]},{"field":"captured","op":"on","value":"not a date"}]}]}""", "Anna,Bruno")]
    [InlineData("""{"v":1,"any":[{"field":"status","op":"any_of","value":[3]},{"all":[{"field":"assignee","op":"any_of","value":["gone"]}]}]}""", "Carla")]
    [InlineData("""{"v":1,"all":[{"field":"cf999","op":"empty"}]}""", "")]
    [InlineData("""{"v":1,"any":[{"all":[{"field":"cf999","op":"empty"}]},{"field":"cf3","op":"between","value":[3,1]}]}""", "")]
    public void Broken_conditions_are_left_out_and_a_filter_with_nothing_left_matches_no_lead(string filter, string expected) => AssertFilter(filter, expected);

    [Fact]
    public void Me_is_whoever_runs_the_filter()
    {
        var filter = Checked("""{"v":1,"all":[{"field":"assignee","op":"any_of","value":["me"]}]}""");

        Assert.Equal("Bruno", Names(Matching(filter, Context with { CurrentUserId = Other })));
        Assert.Equal("Bruno", Names(Leads.Where(l => FilterEvaluator.Matches(filter, l, Context with { CurrentUserId = Other }))));
    }

    [Fact]
    public void Relative_dates_resolve_when_the_filter_runs_not_when_it_was_saved()
    {
        var filter = Checked("""{"v":1,"all":[{"field":"captured","op":"last_days","value":7}]}""");

        Assert.Equal("Anna", Names(Matching(filter, Context)));
        Assert.Equal("Bruno", Names(Matching(filter, Context with { NowUtc = new DateTime(2026, 11, 7, 9, 0, 0, DateTimeKind.Utc) })));
    }

    [Fact]
    public void A_day_that_starts_at_a_clock_change_covers_exactly_its_own_instants()
    {
        // Santiago de Chile moves its clocks at midnight: 2026-09-06 00:00 does not exist there.
        var santiago = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
        var context = new FilterContext(Me, new DateTime(2026, 9, 6, 16, 0, 0, DateTimeKind.Utc), santiago);
        Assert.True(santiago.IsInvalidTime(new DateTime(2026, 9, 6, 0, 0, 0)));
        var start = context.StartOfDayUtc(new DateOnly(2026, 9, 6));

        Assert.Equal(new DateOnly(2026, 9, 6), context.DayOf(start));
        Assert.Equal(new DateOnly(2026, 9, 5), context.DayOf(start.AddTicks(-1)));
    }

    [Fact]
    public void Values_enter_the_expression_as_captured_variables_never_as_constants()
    {
        var filter = Checked("""{"v":1,"any":[{"field":"city","op":"contains","value":"'); DROP TABLE Leads;--"},{"field":"cf3","op":"gt","value":41.5},{"field":"created","op":"on","value":"2026-11-30"},{"field":"assignee","op":"any_of","value":["me"]},{"field":"cf1","op":"all_of","value":[11,12]}]}""");

        var constants = new ConstantCollector();
        constants.Visit(FilterExpressions.ToExpression(filter, Context));

        Assert.DoesNotContain(constants.Values, c => c is string s && s.Contains("drop", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(constants.Values, c => c is double or int or DateTime or DateOnly || (c is string s && s == Me));
        Assert.Contains(constants.Values, c => c?.GetType().Name.StartsWith("Box", StringComparison.Ordinal) == true);
    }

    private static void AssertMatches(string condition, string expected) => AssertFilter("{\"v\":1,\"all\":[" + condition + "]}", expected);

    private static void AssertFilter(string json, string expected)
    {
        var filter = Checked(json);

        Assert.Equal(expected, Names(Matching(filter, Context)));
        Assert.Equal(expected, Names(Leads.Where(l => FilterEvaluator.Matches(filter, l, Context))));
    }

    private static IEnumerable<Lead> Matching(CheckedFilter filter, FilterContext context) =>
        Leads.AsQueryable().Where(FilterExpressions.ToExpression(filter, context));

    private static string Names(IEnumerable<Lead> leads) => string.Join(',', leads.Select(l => l.FirstName));

    private sealed class ConstantCollector : ExpressionVisitor
    {
        public List<object?> Values { get; } = [];

        protected override Expression VisitConstant(ConstantExpression node)
        {
            Values.Add(node.Value);
            return base.VisitConstant(node);
        }
    }
}
