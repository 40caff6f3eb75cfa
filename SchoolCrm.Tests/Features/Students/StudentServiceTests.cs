using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.CustomFields;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Records;
using SchoolCrm.Web.Features.Students;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Students;

public sealed class StudentServiceTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>
{
    private IServiceProvider Services => app.Services;

    [Fact]
    public async Task The_list_pages_in_sql_with_the_total_count()
    {
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        for (var i = 0; i < 27; i++)
        {
            await ConvertAsync(admin, new PersonDetails { FirstName = $"P{i:00}", LastName = "Pagina", CaptureDate = new DateOnly(2026, 1, 1) }, new DateOnly(2026, 9, 1).AddDays(i));
        }

        var first = await ListAsync(admin, new StudentListQuery("pagina", 0, 25));
        var second = await ListAsync(admin, new StudentListQuery("pagina", 1, 25));

        Assert.Equal(27, first.TotalCount);
        Assert.Equal(27, second.TotalCount);
        Assert.Equal(25, first.Items.Count);
        Assert.Equal(2, second.Items.Count);
        Assert.Equal(
            Enumerable.Range(0, 27).Select(i => $"P{i:00}"),
            first.Items.Concat(second.Items).Select(s => s.FirstName));

        var latest = await ListAsync(admin, new StudentListQuery("pagina", 0, 3, StudentSort.EnrolmentDate, Descending: true));
        Assert.Equal(["P26", "P25", "P24"], latest.Items.Select(s => s.FirstName));
    }

    [Theory]
    [InlineData("ZANETTI")]
    [InlineData("federica")]
    [InlineData("federica zanetti")]
    [InlineData("f.zanetti@example")]
    [InlineData("0471 99")]
    [InlineData("ZNTFDR")]
    public async Task Search_finds_a_student_by_name_email_phone_or_tax_code(string search)
    {
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        await EnsureSearchStudentsAsync(admin);

        var found = await ListAsync(admin, new StudentListQuery(search, 0, 25));

        var student = Assert.Single(found.Items);
        Assert.Equal(("Federica", "Zanetti"), (student.FirstName, student.LastName));
        Assert.Equal(1, found.TotalCount);
    }

    [Fact]
    public async Task The_student_page_shows_the_active_custom_fields_with_their_values()
    {
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        await using var adminScope = Services.CreateScopeAs(admin, isAdmin: true);
        var days = await adminScope.CreateFieldAsync("Page days", CustomFieldType.MultipleChoice, "Mon", "Tue", "Wed");
        var empty = await adminScope.CreateFieldAsync("Page empty", CustomFieldType.Number);
        var hidden = await adminScope.CreateFieldAsync("Page archived", CustomFieldType.Text);
        var lead = await Services.AddLeadAsync(
            new PersonDetails { FirstName = "Page", LastName = "Values", CaptureDate = new DateOnly(2026, 1, 1) },
            admin.Id,
            CustomFieldValue.Option(days.Id, days.Options[2].Id),
            CustomFieldValue.Option(days.Id, days.Options[0].Id),
            CustomFieldValue.Text(hidden.Id, "hidden but kept"));
        var studentId = await adminScope.ServiceProvider.GetRequiredService<LeadConversionService>().ConvertAsync(lead.Id);
        await adminScope.ServiceProvider.GetRequiredService<CustomFieldService>().ArchiveAsync(hidden.Id);

        var details = await adminScope.ServiceProvider.GetRequiredService<StudentService>().GetAsync(studentId);

        Assert.NotNull(details);
        Assert.Contains(details.CustomFields, f => f.Id == empty.Id);
        Assert.Equal([days.Options[0].Id, days.Options[2].Id], details.CustomValues[days.Id].OptionIds.Order());
        Assert.False(details.CustomValues.ContainsKey(empty.Id));
        Assert.DoesNotContain(details.CustomFields, f => f.Id == hidden.Id);
        Assert.Null(await adminScope.ServiceProvider.GetRequiredService<StudentService>().GetAsync(int.MaxValue));
    }

    [Fact]
    public async Task The_student_shows_the_comments_and_history_of_its_lead_as_the_lead_page_shows_them_but_read_only()
    {
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        await using var adminScope = Services.CreateScopeAs(admin, isAdmin: true);
        var leads = adminScope.ServiceProvider.GetRequiredService<LeadService>();
        var statusId = await Services.AnyStatusIdAsync();
        var leadId = await leads.CreateAsync(new PersonDetails { FirstName = "Shared", LastName = "Record", CaptureDate = new DateOnly(2026, 1, 1) }, statusId, admin.Id, []);
        await leads.AssignAsync(leadId, null);
        await leads.AddCommentAsync(leadId, "First visit");
        var edited = await leads.AddCommentAsync(leadId, "Second visit");
        await leads.EditCommentAsync(edited, "Second visit, with parents");
        var studentId = await adminScope.ServiceProvider.GetRequiredService<LeadConversionService>().ConvertAsync(leadId);

        var leadComments = await leads.ListCommentsAsync(leadId);
        var leadHistory = await leads.GetHistoryAsync(leadId);
        var student = await adminScope.ServiceProvider.GetRequiredService<StudentService>().GetAsync(studentId);

        Assert.NotNull(student);
        Assert.All(leadComments, c => Assert.True(c.CanEdit));
        Assert.Equal(leadComments.Select(c => c with { CanEdit = false }), student.Comments);
        Assert.Equal(["Second visit, with parents", "First visit"], student.Comments.Select(c => c.Text));
        Assert.NotNull(student.Comments[0].EditedAt);

        // The same rows resolved the same way; only the "Converted" line points the other way on each side.
        static object Line(HistoryItem h) => (h.Field, h.Kind, h.UserName, h.OldValue, h.NewValue);
        Assert.Equal(
            leadHistory.Where(h => h.Field != LeadConversionService.ConvertedHistoryField).Select(Line),
            student.History.Where(h => h.Field != LeadConversionService.ConvertedHistoryField).Select(Line));
        Assert.Contains(student.History, h => h is { Field: "AssignedToUserId", Kind: HistoryValueKind.Name, OldValue: "Administrator", NewValue: null });
    }

    [Fact]
    public async Task Operators_read_students_and_anonymous_callers_do_not()
    {
        var operatorUser = await Services.CreateUserAsync("students.operator@school.test", Roles.Operator);
        await using (var scope = Services.CreateScopeAs(operatorUser, isAdmin: false))
        {
            await scope.ServiceProvider.GetRequiredService<StudentService>().ListAsync(new StudentListQuery(null, 0, 25));
        }

        await using var anonymous = Services.CreateAnonymousScope();
        var students = anonymous.ServiceProvider.GetRequiredService<StudentService>();
        Assert.Equal("auth.required", (await Assert.ThrowsAsync<DomainException>(() => students.ListAsync(new StudentListQuery(null, 0, 25)))).Code);
        Assert.Equal("auth.required", (await Assert.ThrowsAsync<DomainException>(() => students.GetAsync(1))).Code);
    }

    private async Task EnsureSearchStudentsAsync(AppUser admin)
    {
        // Theory rows share the class fixture's database: add the people once.
        await using (var db = await Services.DbAsync())
        {
            if (await db.Students.AnyAsync(s => s.LastName == "Zanetti"))
            {
                return;
            }
        }

        await ConvertAsync(admin, new PersonDetails
        {
            FirstName = "Federica",
            LastName = "Zanetti",
            Email = "f.zanetti@example.org",
            Phone = "0471 998877",
            TaxCode = "ZNTFDR85M41A952K",
            CaptureDate = new DateOnly(2026, 1, 1),
        }, new DateOnly(2026, 9, 1));
        await ConvertAsync(admin, new PersonDetails
        {
            FirstName = "Federico",
            LastName = "Zanardi",
            Email = "federico@example.org",
            Phone = "0471 112233",
            CaptureDate = new DateOnly(2026, 1, 1),
        }, new DateOnly(2026, 9, 1));
    }

    private async Task ConvertAsync(AppUser admin, PersonDetails person, DateOnly enrolment)
    {
        var lead = await Services.AddLeadAsync(person, admin.Id);
        await using var scope = Services.CreateScopeAs(admin, isAdmin: true);
        await scope.ServiceProvider.GetRequiredService<LeadConversionService>().ConvertAsync(lead.Id, enrolmentDate: enrolment);
    }

    private async Task<StudentListPage> ListAsync(AppUser user, StudentListQuery query)
    {
        await using var scope = Services.CreateScopeAs(user, isAdmin: false);
        return await scope.ServiceProvider.GetRequiredService<StudentService>().ListAsync(query);
    }
}
