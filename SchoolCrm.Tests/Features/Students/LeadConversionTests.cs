using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.CustomFields;
using SchoolCrm.Web.Features.Students;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Students;

public sealed class LeadConversionTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>
{
    private static readonly PersonDetails Everything = new()
    {
        CompanyName = "Rossi & Figli",
        FirstName = "Giulia",
        LastName = "Rossi",
        CaptureDate = new DateOnly(2026, 10, 5),
        Email = "giulia.rossi@example.it",
        TaxCode = "RSSGLI90A41H501X",
        Address = "Via Roma 1",
        City = "Torino",
        Zip = "01234",
        Province = "TO",
        Phone = "011 123456",
        Mobile = "+39 333 1234567",
        Gender = Gender.Female,
        DateOfBirth = new DateOnly(1990, 1, 1),
        PrivacyConsent = true,
        Notes = "Interested in evening classes.\nCall after 18:00.",
    };

    private IServiceProvider Services => app.Services;

    [Fact]
    public async Task Conversion_copies_every_standard_field_and_takes_the_lead_out_of_the_CRM()
    {
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        var lead = await Services.AddLeadAsync(Everything, admin.Id);

        int studentId;
        await using (var scope = Services.CreateScopeAs(admin, isAdmin: true))
        {
            studentId = await scope.ServiceProvider.GetRequiredService<LeadConversionService>()
                .ConvertAsync(lead.Id, lead.Version, new DateOnly(2026, 12, 1));
        }

        await using var db = await Services.DbAsync();
        var student = await db.Students.SingleAsync(s => s.Id == studentId);
        var convertedLead = await db.Leads.SingleAsync(l => l.Id == lead.Id);
        Assert.Equal(Everything, student.Details);
        Assert.Equal(lead.PrivacyConsentAt, student.PrivacyConsentAt);
        Assert.Equal(new DateOnly(2026, 12, 1), student.EnrolmentDate);
        Assert.Equal(lead.Id, student.ConvertedFromLeadId);
        Assert.Equal(admin.Id, student.CreatedByUserId);
        Assert.NotNull(convertedLead.ConvertedAt);
        Assert.NotEqual(lead.Version, convertedLead.Version);
        Assert.DoesNotContain(lead.Id, await db.Leads.Where(l => l.ConvertedAt == null).Select(l => l.Id).ToListAsync());
    }

    [Fact]
    public async Task Conversion_copies_the_values_of_every_custom_field_type_archived_fields_included()
    {
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        CustomFieldDefinition text, longText, number, date, checkbox, single, multiple, archived;
        await using (var adminScope = Services.CreateScopeAs(admin, isAdmin: true))
        {
            text = await adminScope.CreateFieldAsync("Conv text", CustomFieldType.Text);
            longText = await adminScope.CreateFieldAsync("Conv long text", CustomFieldType.LongText);
            number = await adminScope.CreateFieldAsync("Conv number", CustomFieldType.Number);
            date = await adminScope.CreateFieldAsync("Conv date", CustomFieldType.Date);
            checkbox = await adminScope.CreateFieldAsync("Conv checkbox", CustomFieldType.Checkbox);
            single = await adminScope.CreateFieldAsync("Conv single", CustomFieldType.SingleChoice, "Morning", "Evening");
            multiple = await adminScope.CreateFieldAsync("Conv multiple", CustomFieldType.MultipleChoice, "Music", "Art", "Sport");
            archived = await adminScope.CreateFieldAsync("Conv archived", CustomFieldType.Text);
        }

        var lead = await Services.AddLeadAsync(
            Everything,
            admin.Id,
            CustomFieldValue.Text(text.Id, "<img src=x onerror=alert(1)>"),
            CustomFieldValue.Text(longText.Id, "Line one\nLine two"),
            CustomFieldValue.Number(number.Id, 42.5),
            CustomFieldValue.Date(date.Id, new DateOnly(2027, 3, 14)),
            CustomFieldValue.Checkbox(checkbox.Id, true),
            CustomFieldValue.Option(single.Id, single.Options[1].Id),
            CustomFieldValue.Option(multiple.Id, multiple.Options[0].Id),
            CustomFieldValue.Option(multiple.Id, multiple.Options[2].Id),
            CustomFieldValue.Text(archived.Id, "kept while archived"));
        await using (var adminScope = Services.CreateScopeAs(admin, isAdmin: true))
        {
            await adminScope.ServiceProvider.GetRequiredService<CustomFieldService>().ArchiveAsync(archived.Id);
        }

        int studentId;
        await using (var scope = Services.CreateScopeAs(admin, isAdmin: true))
        {
            studentId = await scope.ServiceProvider.GetRequiredService<LeadConversionService>().ConvertAsync(lead.Id);
        }

        await using var db = await Services.DbAsync();
        var leadValues = await ValuesAsync(db.CustomFieldValues.Where(v => v.LeadId == lead.Id));
        var studentValues = await ValuesAsync(db.CustomFieldValues.Where(v => v.StudentId == studentId));
        Assert.Equal(9, leadValues.Count);
        Assert.Equal(leadValues, studentValues);
        Assert.Contains((archived.Id, "kept while archived", (double?)null, (DateOnly?)null, (bool?)null, (int?)null), studentValues);
    }

    [Fact]
    public async Task Comments_and_history_are_carried_over_and_both_sides_record_the_conversion()
    {
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        var author = await Services.CreateUserAsync("carry.author@school.test", Roles.Operator, "Carla Author");
        var lead = await Services.AddLeadAsync("Marco", "Bianchi", admin.Id);
        await Services.AddCommentAsync(lead.Id, author.Id, "First call: wants a brochure", StudentTestData.Now.AddDays(1));
        await Services.AddCommentAsync(lead.Id, admin.Id, "Second call: <b>enrols</b>", StudentTestData.Now.AddDays(2));
        await Services.AddHistoryAsync(lead.Id, new FieldChange("City", null, "Milano"), author.Id, StudentTestData.Now.AddDays(1));

        int studentId;
        await using (var scope = Services.CreateScopeAs(author, isAdmin: false))
        {
            studentId = await scope.ServiceProvider.GetRequiredService<LeadConversionService>().ConvertAsync(lead.Id);
        }

        StudentDetails? details;
        await using (var scope = Services.CreateScopeAs(author, isAdmin: false))
        {
            details = await scope.ServiceProvider.GetRequiredService<StudentService>().GetAsync(studentId);
        }

        Assert.NotNull(details);
        var adminName = string.IsNullOrEmpty(admin.DisplayName) ? admin.Email! : admin.DisplayName;
        Assert.Equal(
            [(adminName, "Second call: <b>enrols</b>", StudentTestData.Now.AddDays(2)), ("Carla Author", "First call: wants a brochure", StudentTestData.Now.AddDays(1))],
            details.Comments.Select(c => (c.AuthorName, c.Text, c.CreatedAt)));
        Assert.Equal(lead.Id, details.ConvertedFromLeadId);
        Assert.Equal("Carla Author", details.CreatedByName);
        Assert.Contains(details.History, h => h.Field == "City" && h.NewValue == "Milano" && h.UserName == "Carla Author");
        Assert.Contains(details.History, h => h.Field == LeadConversionService.ConvertedHistoryField && h.NewValue == lead.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        await using var db = await Services.DbAsync();
        var leadConverted = await db.History.SingleAsync(h => h.LeadId == lead.Id && h.Field == LeadConversionService.ConvertedHistoryField);
        Assert.Equal(studentId.ToString(System.Globalization.CultureInfo.InvariantCulture), leadConverted.NewValue);
        Assert.Equal(author.Id, leadConverted.UserId);
        Assert.Equal(2, await db.Comments.CountAsync(c => c.LeadId == lead.Id && c.StudentId == studentId));
    }

    [Fact]
    public async Task A_failure_mid_way_leaves_everything_as_it_was()
    {
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        CustomFieldDefinition field;
        await using (var adminScope = Services.CreateScopeAs(admin, isAdmin: true))
        {
            field = await adminScope.CreateFieldAsync("Atomic text", CustomFieldType.Text);
        }

        var lead = await Services.AddLeadAsync(Everything with { FirstName = "Atomic" }, admin.Id, CustomFieldValue.Text(field.Id, "value"));
        await Services.AddCommentAsync(lead.Id, admin.Id, "A comment", StudentTestData.Now);
        await Services.AddHistoryAsync(lead.Id, new FieldChange("City", null, "Torino"), admin.Id, StudentTestData.Now);

        // The student's "Converted" history line is the last write: by then the student, its values and the
        // carried-over comments and history are already in the transaction. The database refuses that write.
        await using (var db = await Services.DbAsync())
        {
            await TestDatabase.FailInsertsAsync(db, "fail_conversion", "History", "NEW.\"Field\" = 'Converted' AND NEW.\"StudentId\" IS NOT NULL");
        }

        try
        {
            await using var scope = Services.CreateScopeAs(admin, isAdmin: true);
            var conversion = scope.ServiceProvider.GetRequiredService<LeadConversionService>();
            await Assert.ThrowsAsync<DbUpdateException>(() => conversion.ConvertAsync(lead.Id));
        }
        finally
        {
            await using var db = await Services.DbAsync();
            await TestDatabase.StopFailingInsertsAsync(db, "fail_conversion", "History");
        }

        await using (var db = await Services.DbAsync())
        {
            var unchanged = await db.Leads.SingleAsync(l => l.Id == lead.Id);
            Assert.Null(unchanged.ConvertedAt);
            Assert.Equal(lead.Version, unchanged.Version);
            Assert.False(await db.Students.AnyAsync(s => s.ConvertedFromLeadId == lead.Id));
            Assert.False(await db.Students.AnyAsync(s => s.FirstName == "Atomic"));
            Assert.False(await db.CustomFieldValues.AnyAsync(v => v.CustomFieldId == field.Id && v.StudentId != null));
            Assert.True(await db.Comments.AnyAsync(c => c.LeadId == lead.Id));
            Assert.False(await db.Comments.AnyAsync(c => c.LeadId == lead.Id && c.StudentId != null));
            Assert.False(await db.History.AnyAsync(h => h.LeadId == lead.Id && h.StudentId != null));
            Assert.False(await db.History.AnyAsync(h => h.Field == LeadConversionService.ConvertedHistoryField && h.LeadId == lead.Id));
        }

        // Nothing is left half-done that would stand in the way: the same lead converts once the fault is gone.
        await using (var scope = Services.CreateScopeAs(admin, isAdmin: true))
        {
            var studentId = await scope.ServiceProvider.GetRequiredService<LeadConversionService>().ConvertAsync(lead.Id, lead.Version);
            Assert.True(studentId > 0);
        }
    }

    [Fact]
    public async Task A_lead_cannot_be_converted_twice()
    {
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        var lead = await Services.AddLeadAsync("Twice", "Converted", admin.Id);
        await using var scope = Services.CreateScopeAs(admin, isAdmin: true);
        var conversion = scope.ServiceProvider.GetRequiredService<LeadConversionService>();
        await conversion.ConvertAsync(lead.Id);

        var error = await Assert.ThrowsAsync<DomainException>(() => conversion.ConvertAsync(lead.Id));

        Assert.Equal("lead.already_converted", error.Code);
        await using var db = await Services.DbAsync();
        Assert.Equal(1, await db.Students.CountAsync(s => s.ConvertedFromLeadId == lead.Id));
    }

    [Fact]
    public async Task Two_simultaneous_conversions_make_one_student_and_tell_the_other_user()
    {
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        var lead = await Services.AddLeadAsync("Race", "Condition", admin.Id);
        await using var first = Services.CreateScopeAs(admin, isAdmin: true);
        await using var second = Services.CreateScopeAs(admin, isAdmin: true);

        var attempts = await Task.WhenAll(
            TryConvertAsync(first.ServiceProvider.GetRequiredService<LeadConversionService>(), lead.Id),
            TryConvertAsync(second.ServiceProvider.GetRequiredService<LeadConversionService>(), lead.Id));

        Assert.Single(attempts, a => a is null);
        Assert.Single(attempts, a => a == "lead.already_converted");
        await using var db = await Services.DbAsync();
        Assert.Equal(1, await db.Students.CountAsync(s => s.ConvertedFromLeadId == lead.Id));
    }

    [Fact]
    public async Task The_unique_index_stops_a_second_student_for_the_same_lead()
    {
        // As if another conversion had inserted its student but not yet marked the lead: only the index can tell.
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        var lead = await Services.AddLeadAsync("Index", "Guard", admin.Id);
        await using (var db = await Services.DbAsync())
        {
            var tracked = await db.Leads.SingleAsync(l => l.Id == lead.Id);
            db.Students.Add(SchoolCrm.Domain.Students.Student.ConvertFrom(tracked, new DateOnly(2026, 12, 1), admin.Id, StudentTestData.Now));
            await db.SaveChangesAsync();
        }

        await using var scope = Services.CreateScopeAs(admin, isAdmin: true);
        var error = await Assert.ThrowsAsync<DomainException>(
            () => scope.ServiceProvider.GetRequiredService<LeadConversionService>().ConvertAsync(lead.Id));

        Assert.Equal("lead.already_converted", error.Code);
        await using var check = await Services.DbAsync();
        Assert.Null((await check.Leads.SingleAsync(l => l.Id == lead.Id)).ConvertedAt);
    }

    [Fact]
    public async Task A_lead_changed_since_the_user_looked_at_it_is_not_converted()
    {
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        var lead = await Services.AddLeadAsync("Stale", "Version", admin.Id);
        await using var scope = Services.CreateScopeAs(admin, isAdmin: true);

        var error = await Assert.ThrowsAsync<DomainException>(
            () => scope.ServiceProvider.GetRequiredService<LeadConversionService>().ConvertAsync(lead.Id, Guid.NewGuid()));

        Assert.Equal("stale", error.Code);
        await using var db = await Services.DbAsync();
        Assert.False(await db.Students.AnyAsync(s => s.ConvertedFromLeadId == lead.Id));
    }

    [Fact]
    public async Task Operators_may_convert_and_anonymous_callers_may_not()
    {
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        var operatorUser = await Services.CreateUserAsync("convert.operator@school.test", Roles.Operator);
        var forOperator = await Services.AddLeadAsync("Operator", "Allowed", admin.Id);
        var forNobody = await Services.AddLeadAsync("Anonymous", "Refused", admin.Id);

        await using (var scope = Services.CreateScopeAs(operatorUser, isAdmin: false))
        {
            await scope.ServiceProvider.GetRequiredService<LeadConversionService>().ConvertAsync(forOperator.Id);
        }

        await using (var scope = Services.CreateAnonymousScope())
        {
            var error = await Assert.ThrowsAsync<DomainException>(
                () => scope.ServiceProvider.GetRequiredService<LeadConversionService>().ConvertAsync(forNobody.Id));
            Assert.Equal("auth.required", error.Code);
        }

        await using var db = await Services.DbAsync();
        Assert.True(await db.Students.AnyAsync(s => s.ConvertedFromLeadId == forOperator.Id && s.CreatedByUserId == operatorUser.Id));
        Assert.False(await db.Students.AnyAsync(s => s.ConvertedFromLeadId == forNobody.Id));
    }

    private static async Task<string?> TryConvertAsync(LeadConversionService conversion, int leadId)
    {
        try
        {
            await conversion.ConvertAsync(leadId);
            return null;
        }
        catch (DomainException ex)
        {
            return ex.Code;
        }
    }

    private static async Task<List<(int, string?, double?, DateOnly?, bool?, int?)>> ValuesAsync(IQueryable<CustomFieldValue> values) =>
        [.. (await values.Select(v => new { v.CustomFieldId, v.TextValue, v.NumberValue, v.DateValue, v.BoolValue, v.OptionId }).ToListAsync())
            .Select(v => (v.CustomFieldId, v.TextValue, v.NumberValue, v.DateValue, v.BoolValue, v.OptionId))
            .Order()];
}
