using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Features.Students;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.CustomFields;
using SchoolCrm.Web.Features.Students;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.CustomFields;

public sealed class CustomFieldServiceTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>
{
    private IServiceProvider Services => app.Services;

    [Fact]
    public async Task Names_are_unique_ignoring_case_and_surrounding_spaces()
    {
        await using var scope = await AdminScopeAsync();
        var fields = Fields(scope);
        await fields.CreateAsync(new NewCustomField("Hobby", CustomFieldType.Text, false, []));
        var other = await fields.CreateAsync(new NewCustomField("Sport", CustomFieldType.Text, false, []));

        var created = await Assert.ThrowsAsync<DomainException>(() => fields.CreateAsync(new NewCustomField("  HOBBY ", CustomFieldType.Number, false, [])));
        var renamed = await Assert.ThrowsAsync<DomainException>(() => fields.RenameAsync(other, "hobby"));

        Assert.Equal(("name.duplicate", "Name"), (created.Code, created.Field));
        Assert.Equal(("name.duplicate", "Name"), (renamed.Code, renamed.Field));
        Assert.Single(await fields.ListAsync(), f => f.Name.Equals("Hobby", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(await fields.ListAsync(), f => f.Id == other && f.Name == "Sport");
    }

    [Theory]
    [InlineData("   ", "name.required")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890", "name.too_long")]
    public async Task A_name_must_have_1_to_60_characters(string name, string code)
    {
        await using var scope = await AdminScopeAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => Fields(scope).CreateAsync(new NewCustomField(name, CustomFieldType.Text, false, [])));

        Assert.Equal((code, "Name"), (error.Code, error.Field));
    }

    [Fact]
    public async Task A_choice_field_needs_options_and_other_fields_ignore_them()
    {
        await using var scope = await AdminScopeAsync();
        var fields = Fields(scope);

        var error = await Assert.ThrowsAsync<DomainException>(
            () => fields.CreateAsync(new NewCustomField("Course", CustomFieldType.SingleChoice, false, ["  ", ""])));
        var textId = await fields.CreateAsync(new NewCustomField("Remark", CustomFieldType.Text, true, ["ignored"]));

        Assert.Equal(("customfield.options.required", "Options"), (error.Code, error.Field));
        var text = Assert.Single(await fields.ListActiveAsync(), f => f.Id == textId);
        Assert.Empty(text.Options);
        Assert.True(text.IsRequired);
        Assert.DoesNotContain(await fields.ListAsync(), f => f.Name == "Course");
    }

    [Fact]
    public async Task Renaming_keeps_the_values()
    {
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        await using var scope = Services.CreateScopeAs(admin, isAdmin: true);
        var field = await scope.CreateFieldAsync("Level", CustomFieldType.Text);
        var lead = await Services.AddLeadAsync(Person("Renamed"), admin.Id, CustomFieldValue.Text(field.Id, "B2"));

        await Fields(scope).RenameAsync(field.Id, "  Language level ");

        var renamed = Assert.Single(await Fields(scope).ListActiveAsync(), f => f.Id == field.Id);
        Assert.Equal("Language level", renamed.Name);
        await using var db = await Services.DbAsync();
        Assert.Equal("B2", await db.CustomFieldValues.Where(v => v.LeadId == lead.Id && v.CustomFieldId == field.Id).Select(v => v.TextValue).SingleAsync());
        Assert.Equal(new ValueUsage(1, 0), (await Fields(scope).ListAsync()).Single(f => f.Id == field.Id).Usage);
    }

    [Fact]
    public async Task Archiving_hides_the_field_and_keeps_its_values_until_it_is_restored()
    {
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        await using var scope = Services.CreateScopeAs(admin, isAdmin: true);
        var field = await scope.CreateFieldAsync("Newsletter", CustomFieldType.Checkbox);
        await Services.AddLeadAsync(Person("Archived"), admin.Id, CustomFieldValue.Checkbox(field.Id, true));

        await Fields(scope).ArchiveAsync(field.Id);

        Assert.DoesNotContain(await Fields(scope).ListActiveAsync(), f => f.Id == field.Id);
        var listed = (await Fields(scope).ListAsync()).Single(f => f.Id == field.Id);
        Assert.True(listed.IsArchived);
        Assert.Equal(new ValueUsage(1, 0), listed.Usage);

        await Fields(scope).RestoreAsync(field.Id);

        Assert.Contains(await Fields(scope).ListActiveAsync(), f => f.Id == field.Id);
        await using var db = await Services.DbAsync();
        Assert.Equal(1, await db.CustomFieldValues.CountAsync(v => v.CustomFieldId == field.Id && v.BoolValue == true));
    }

    [Fact]
    public async Task Deleting_a_field_removes_its_values_and_reports_how_many_leads_and_students_lost_one()
    {
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        await using var scope = Services.CreateScopeAs(admin, isAdmin: true);
        var doomed = await scope.CreateFieldAsync("Interests to delete", CustomFieldType.MultipleChoice, "Music", "Art");
        var kept = await scope.CreateFieldAsync("Kept field", CustomFieldType.Text);
        var first = await Services.AddLeadAsync(
            Person("Delete1"),
            admin.Id,
            CustomFieldValue.Option(doomed.Id, doomed.Options[0].Id),
            CustomFieldValue.Option(doomed.Id, doomed.Options[1].Id),
            CustomFieldValue.Text(kept.Id, "stays"));
        await Services.AddLeadAsync(Person("Delete2"), admin.Id, CustomFieldValue.Option(doomed.Id, doomed.Options[1].Id));
        var converted = await Services.AddLeadAsync(Person("Delete3"), admin.Id, CustomFieldValue.Option(doomed.Id, doomed.Options[0].Id));
        await scope.ServiceProvider.GetRequiredService<LeadConversionService>().ConvertAsync(converted.Id);

        var announced = await Fields(scope).CountValuesAsync(doomed.Id);
        var deleted = await Fields(scope).DeleteAsync(doomed.Id);

        // Three leads (one of them converted, so it keeps its own copy) and the one student.
        Assert.Equal(new ValueUsage(3, 1), announced);
        Assert.Equal(announced, deleted);
        Assert.DoesNotContain(await Fields(scope).ListAsync(), f => f.Id == doomed.Id);
        await using var db = await Services.DbAsync();
        Assert.False(await db.CustomFieldValues.AnyAsync(v => v.CustomFieldId == doomed.Id));
        Assert.False(await db.CustomFieldOptions.AnyAsync(o => o.CustomFieldId == doomed.Id));
        Assert.True(await db.CustomFieldValues.AnyAsync(v => v.CustomFieldId == kept.Id && v.LeadId == first.Id));
    }

    [Fact]
    public async Task Removing_an_option_deletes_only_the_values_that_chose_it()
    {
        var admin = await Services.FindUserAsync(CrmAppFactory.AdminEmail);
        await using var scope = Services.CreateScopeAs(admin, isAdmin: true);
        var field = await scope.CreateFieldAsync("Days", CustomFieldType.MultipleChoice, "Monday", "Tuesday");
        var (monday, tuesday) = (field.Options[0].Id, field.Options[1].Id);
        var both = await Services.AddLeadAsync(Person("Both"), admin.Id, CustomFieldValue.Option(field.Id, monday), CustomFieldValue.Option(field.Id, tuesday));
        await Services.AddLeadAsync(Person("MondayOnly"), admin.Id, CustomFieldValue.Option(field.Id, monday));

        var announced = await Fields(scope).CountOptionValuesAsync(monday);
        var removed = await Fields(scope).RemoveOptionAsync(field.Id, monday);

        Assert.Equal(2, announced);
        Assert.Equal(2, removed);
        var listed = (await Fields(scope).ListAsync()).Single(f => f.Id == field.Id);
        Assert.Equal([new CustomFieldAdminOption(tuesday, "Tuesday", 1)], listed.Options);
        await using var db = await Services.DbAsync();
        Assert.Equal([tuesday], await db.CustomFieldValues.Where(v => v.CustomFieldId == field.Id).Select(v => v.OptionId).ToListAsync());
        Assert.Equal(both.Id, await db.CustomFieldValues.Where(v => v.CustomFieldId == field.Id).Select(v => v.LeadId).SingleAsync());

        var last = await Assert.ThrowsAsync<DomainException>(() => Fields(scope).RemoveOptionAsync(field.Id, tuesday));
        Assert.Equal("customfield.options.required", last.Code);
    }

    [Fact]
    public async Task Options_can_be_added_renamed_and_reordered()
    {
        await using var scope = await AdminScopeAsync();
        var fields = Fields(scope);
        var field = await scope.CreateFieldAsync("Course level", CustomFieldType.SingleChoice, "Beginner", "Advanced");

        var middle = await fields.AddOptionAsync(field.Id, "Intermediate");
        await fields.MoveOptionAsync(field.Id, middle, -1);
        await fields.RenameOptionAsync(field.Id, field.Options[1].Id, "Expert");
        var duplicate = await Assert.ThrowsAsync<DomainException>(() => fields.AddOptionAsync(field.Id, " beginner"));

        Assert.Equal("customfield.option.duplicate", duplicate.Code);
        var listed = (await fields.ListActiveAsync()).Single(f => f.Id == field.Id);
        Assert.Equal(["Beginner", "Intermediate", "Expert"], listed.Options.Select(o => o.Label));
    }

    [Fact]
    public async Task Fields_can_be_reordered_and_made_required()
    {
        await using var scope = await AdminScopeAsync();
        var fields = Fields(scope);
        var a = await fields.CreateAsync(new NewCustomField("Order A", CustomFieldType.Text, false, []));
        var b = await fields.CreateAsync(new NewCustomField("Order B", CustomFieldType.Text, false, []));
        var c = await fields.CreateAsync(new NewCustomField("Order C", CustomFieldType.Text, false, []));

        await fields.MoveAsync(c, -1);
        await fields.MoveAsync(a, 1);
        await fields.SetRequiredAsync(b, true);

        var active = (await fields.ListActiveAsync()).Where(f => f.Id == a || f.Id == b || f.Id == c).ToList();
        Assert.Equal([c, a, b], active.Select(f => f.Id));
        Assert.Equal([false, false, true], active.Select(f => f.IsRequired));
    }

    [Fact]
    public async Task Operators_read_the_active_fields_but_cannot_manage_them()
    {
        var operatorUser = await Services.CreateUserAsync("fields.operator@school.test", Roles.Operator);
        await using var adminScope = await AdminScopeAsync();
        var field = await adminScope.CreateFieldAsync("Visible to all", CustomFieldType.Date);
        await using var scope = Services.CreateScopeAs(operatorUser, isAdmin: false);
        var fields = Fields(scope);

        Assert.Contains(await fields.ListActiveAsync(), f => f.Id == field.Id);
        foreach (var attempt in new Func<Task>[]
                 {
                     () => fields.ListAsync(),
                     () => fields.CreateAsync(new NewCustomField("Sneaky", CustomFieldType.Text, false, [])),
                     () => fields.RenameAsync(field.Id, "Sneaky"),
                     () => fields.ArchiveAsync(field.Id),
                     () => fields.SetRequiredAsync(field.Id, true),
                     () => fields.MoveAsync(field.Id, -1),
                     () => fields.CountValuesAsync(field.Id),
                     () => fields.DeleteAsync(field.Id),
                 })
        {
            var error = await Assert.ThrowsAsync<DomainException>(attempt);
            Assert.Equal("auth.admin_only", error.Code);
        }

        Assert.Contains(await fields.ListActiveAsync(), f => f.Id == field.Id && f.Name == "Visible to all");
    }

    [Fact]
    public async Task A_field_deleted_meanwhile_gives_a_clear_error()
    {
        await using var scope = await AdminScopeAsync();
        var fields = Fields(scope);
        var id = await fields.CreateAsync(new NewCustomField("Short lived", CustomFieldType.Text, false, []));
        await fields.DeleteAsync(id);

        var error = await Assert.ThrowsAsync<DomainException>(() => fields.RenameAsync(id, "Too late"));

        Assert.Equal("stale", error.Code);
    }

    private static PersonDetails Person(string firstName) => new() { FirstName = firstName, CaptureDate = new DateOnly(2026, 11, 1) };

    private static CustomFieldService Fields(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<CustomFieldService>();

    private async Task<AsyncServiceScope> AdminScopeAsync() =>
        Services.CreateScopeAs(await Services.FindUserAsync(CrmAppFactory.AdminEmail), isAdmin: true);
}
