using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Domain.Tasks;
using static SchoolCrm.Tests.Domain.Filters.FilterTestKit;

namespace SchoolCrm.Tests.Domain.Filters;

/// <summary>
/// Issue 10's task conditions ("has open tasks", "has an overdue task", "next deadline within N days", "has a task of
/// type T"), translated to an expression and run over leads in memory, and the reference evaluator on the same leads.
/// The context's now is Tuesday 1 December 2026, 10:00 in Rome (09:00 UTC).
/// </summary>
public sealed class FilterTaskConditionsTests
{
    // Anna: an open call due at 09:30 today (overdue by half an hour), a visit done. Bruno: an open call due on
    // Monday 7 December at 23:59 in Rome (the last minute of "the next 7 days"), and a call of November done late.
    // Carla: no task at all.
    private static readonly Lead Anna = WithTasks(
        "Anna",
        Open(CallType, new DateTime(2026, 12, 1, 8, 30, 0, DateTimeKind.Utc)),
        Done(VisitType, new DateTime(2026, 12, 3, 9, 0, 0, DateTimeKind.Utc)));

    private static readonly Lead Bruno = WithTasks(
        "Bruno",
        Open(CallType, new DateTime(2026, 12, 7, 22, 59, 0, DateTimeKind.Utc)),
        Done(CallType, new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc)));

    private static readonly Lead Carla = WithTasks("Carla");

    private static readonly Lead[] Leads = [Anna, Bruno, Carla];

    [Theory]
    [InlineData("""{"field":"opentasks","op":"ticked"}""", "Anna,Bruno")]
    [InlineData("""{"field":"opentasks","op":"not_ticked"}""", "Carla")]
    [InlineData("""{"field":"overduetask","op":"ticked"}""", "Anna")]
    [InlineData("""{"field":"overduetask","op":"not_ticked"}""", "Bruno,Carla")]
    [InlineData("""{"field":"nextdeadline","op":"next_days","value":7}""", "Bruno")]
    [InlineData("""{"field":"nextdeadline","op":"next_days","value":6}""", "")]
    [InlineData("""{"field":"nextdeadline","op":"next_days","value":3660}""", "Bruno")]
    [InlineData("""{"field":"tasktype","op":"any_of","value":[22]}""", "Anna")]
    [InlineData("""{"field":"tasktype","op":"any_of","value":[21,22]}""", "Anna,Bruno")]
    [InlineData("""{"field":"tasktype","op":"none_of","value":[21]}""", "Carla")]
    [InlineData("""{"field":"tasktype","op":"none_of","value":[22]}""", "Bruno,Carla")]
    public void Task_conditions(string condition, string expected) => AssertMatches(condition, expected, Context);

    [Fact]
    public void A_deadline_at_this_very_moment_is_not_overdue_yet_but_is_the_next_deadline_of_today()
    {
        var atAnnasDeadline = Context with { NowUtc = new DateTime(2026, 12, 1, 8, 30, 0, DateTimeKind.Utc) };

        AssertMatches("""{"field":"overduetask","op":"ticked"}""", "", atAnnasDeadline);
        AssertMatches("""{"field":"nextdeadline","op":"next_days","value":1}""", "Anna", atAnnasDeadline);
        AssertMatches("""{"field":"overduetask","op":"ticked"}""", "Anna", atAnnasDeadline with { NowUtc = atAnnasDeadline.NowUtc.AddTicks(1) });
    }

    [Fact]
    public void Next_deadline_counts_school_days_so_tomorrow_starts_at_local_midnight()
    {
        // On Monday 7 December at 09:00 in Rome, "in the next 1 days" is the rest of Monday: Bruno's 23:59 call is in it.
        var monday = Context with { NowUtc = new DateTime(2026, 12, 7, 8, 0, 0, DateTimeKind.Utc) };
        AssertMatches("""{"field":"nextdeadline","op":"next_days","value":1}""", "Bruno", monday);

        // A minute after midnight in Rome (still the 7th in UTC), the call is overdue and no longer a next deadline.
        var tuesday = Context with { NowUtc = new DateTime(2026, 12, 7, 23, 1, 0, DateTimeKind.Utc) };
        AssertMatches("""{"field":"nextdeadline","op":"next_days","value":7}""", "", tuesday);
        AssertMatches("""{"field":"overduetask","op":"ticked"}""", "Anna,Bruno", tuesday);
    }

    [Fact]
    public void The_task_conditions_follow_the_comment_and_import_conditions_in_the_builder()
    {
        Assert.Equal(
            ["comments", "lastcomment", "import", "opentasks", "overduetask", "nextdeadline", "tasktype"],
            LeadFields.FilterOnly.Select(f => f.Key));
        Assert.Equal([FilterOperators.Ticked, FilterOperators.NotTicked], FilterOperators.For(LeadFields.HasOverdueTask.Type));
        Assert.Equal([FilterOperators.NextDays], FilterOperators.For(LeadFields.NextDeadline.Type));
        Assert.Equal([FilterOperators.AnyOf, FilterOperators.NoneOf], FilterOperators.For(LeadFields.HasTaskOfType.Type));
    }

    [Theory]
    [InlineData("""{"field":"tasktype","op":"any_of","value":[21,99]}""", FilterProblems.TaskTypeUnknown)]
    [InlineData("""{"field":"tasktype","op":"any_of","value":[]}""", FilterProblems.ValueRequired)]
    [InlineData("""{"field":"tasktype","op":"any_of","value":["21"]}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"tasktype","op":"empty"}""", FilterProblems.OperatorInvalid)]
    [InlineData("""{"field":"nextdeadline","op":"next_days"}""", FilterProblems.ValueRequired)]
    [InlineData("""{"field":"nextdeadline","op":"next_days","value":0}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"nextdeadline","op":"next_days","value":3661}""", FilterProblems.ValueInvalid)]
    [InlineData("""{"field":"nextdeadline","op":"last_days","value":7}""", FilterProblems.OperatorInvalid)]
    [InlineData("""{"field":"overduetask","op":"on","value":"2026-12-01"}""", FilterProblems.OperatorInvalid)]
    public void Task_conditions_that_cannot_run_are_marked(string condition, string problem)
    {
        var filter = Checked("{\"v\":1,\"all\":[" + condition + "]}");

        Assert.Equal(problem, Assert.Single(filter.Broken).Problem);
    }

    [Fact]
    public void A_deleted_task_type_breaks_only_its_condition()
    {
        var filter = Checked("""{"v":1,"all":[{"field":"tasktype","op":"any_of","value":[99]},{"field":"opentasks","op":"ticked"}]}""");

        Assert.Equal(FilterProblems.TaskTypeUnknown, Assert.Single(filter.Broken).Problem);
        Assert.Equal("Anna,Bruno", Names(Leads.AsQueryable().Where(FilterExpressions.ToExpression(filter, Context))));
    }

    [Fact]
    public void Now_enters_the_expression_as_a_captured_variable()
    {
        var filter = Checked("""{"v":1,"all":[{"field":"overduetask","op":"ticked"},{"field":"nextdeadline","op":"next_days","value":7}]}""");

        var text = FilterExpressions.ToExpression(filter, Context).ToString();

        Assert.DoesNotContain("2026", text, StringComparison.Ordinal);
    }

    private static void AssertMatches(string condition, string expected, FilterContext context)
    {
        var filter = Checked("{\"v\":1,\"all\":[" + condition + "]}");
        Assert.Empty(filter.Broken);

        Assert.Equal(expected, Names(Leads.AsQueryable().Where(FilterExpressions.ToExpression(filter, context))));
        Assert.Equal(expected, Names(Leads.Where(l => FilterEvaluator.Matches(filter, l, context))));
    }

    private static string Names(IEnumerable<Lead> leads) => string.Join(',', leads.Select(l => l.FirstName));

    private static Lead WithTasks(string name, params CrmTask[] tasks)
    {
        var lead = Lead(new PersonDetails { FirstName = name, CaptureDate = new DateOnly(2026, 11, 1) });
        lead.Tasks.AddRange(tasks);
        return lead;
    }

    private static CrmTask Open(int type, DateTime deadlineUtc) =>
        CrmTask.Create(null, new TaskContent(type, "Call back", null, deadlineUtc, false, TaskReminder.None), Me, Other, deadlineUtc.AddDays(-10), Rome);

    private static CrmTask Done(int type, DateTime deadlineUtc)
    {
        var task = Open(type, deadlineUtc);
        task.Complete(Me, byAdmin: false, deadlineUtc.AddDays(1));
        return task;
    }
}
