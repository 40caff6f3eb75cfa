using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Records;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Leads;

public sealed class LeadServiceTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>
{
    private static readonly PersonDetails EveryField = new()
    {
        CompanyName = "Rossi Srl",
        FirstName = "  Mario ",
        LastName = "Rossi",
        CaptureDate = new DateOnly(2025, 2, 14),
        Email = "mario.rossi@example.it",
        TaxCode = "rssmra85t10a562s",
        Address = "Via Roma 1",
        City = "Bolzano",
        Zip = "01234",
        Province = "BZ",
        Phone = "0471 123456",
        Mobile = "+39 333 1234567",
        Gender = Gender.Male,
        DateOfBirth = new DateOnly(1985, 12, 10),
        PrivacyConsent = true,
        Notes = "Wants evening classes",
    };

    [Fact]
    public async Task Creating_a_lead_stores_every_standard_field_and_who_created_it()
    {
        var admin = await app.AdminAsync();
        var op = await app.NewOperatorAsync("Olga Creator");
        var statusId = await app.DefaultStatusIdAsync();

        var id = await app.AsAsync(op, false, leads => leads.CreateAsync(EveryField, statusId, admin.Id, []));
        var lead = await app.AsAsync(op, false, leads => leads.GetAsync(id));

        Assert.NotNull(lead);
        Assert.Equal(EveryField with { FirstName = "Mario", TaxCode = "RSSMRA85T10A562S" }, lead.Person);
        Assert.Equal("01234", lead.Person.Zip);
        Assert.Equal(admin.Id, lead.AssignedToUserId);
        Assert.Equal("Administrator", lead.AssignedToName);
        Assert.Equal("Olga Creator", lead.CreatedByName);
        Assert.Equal("Olga Creator", lead.UpdatedByName);
        Assert.NotNull(lead.PrivacyConsentAt);
        Assert.Equal("New", lead.StatusName);
        Assert.False(lead.IsConverted);
        var history = await app.AsAsync(op, false, leads => leads.GetHistoryAsync(id));
        var created = Assert.Single(history);
        Assert.Equal(LeadService.CreatedEvent, created.Field);
        Assert.Equal("Olga Creator", created.UserName);
    }

    [Fact]
    public async Task Bad_input_names_every_field_and_saves_nothing()
    {
        var op = await app.NewOperatorAsync();
        var statusId = await app.DefaultStatusIdAsync();
        await using var before = app.Db();
        var count = await before.Leads.CountAsync();

        var error = await Assert.ThrowsAsync<FieldErrorsException>(() => app.AsAsync(op, false, leads => leads.CreateAsync(
            EveryField with { FirstName = " ", Email = "not-an-address", DateOfBirth = new DateOnly(2999, 1, 1) }, statusId, null, [])));

        Assert.Equal(["FirstName", "Email", "DateOfBirth"], error.Errors.Select(e => e.Field));
        await using var after = app.Db();
        Assert.Equal(count, await after.Leads.CountAsync());
    }

    [Fact]
    public async Task A_tax_code_with_a_wrong_check_character_is_saved_all_the_same()
    {
        var op = await app.NewOperatorAsync();
        var statusId = await app.DefaultStatusIdAsync();

        var id = await app.AsAsync(op, false, leads => leads.CreateAsync(EveryField with { TaxCode = "RSSMRA85T10A562X" }, statusId, null, []));

        var lead = await app.AsAsync(op, false, leads => leads.GetAsync(id));
        Assert.Equal("RSSMRA85T10A562X", lead!.Person.TaxCode);
    }

    [Fact]
    public async Task Custom_values_of_every_type_round_trip()
    {
        var op = await app.NewOperatorAsync();
        var text = await app.NewFieldAsync(CustomFieldType.Text);
        var longText = await app.NewFieldAsync(CustomFieldType.LongText);
        var number = await app.NewFieldAsync(CustomFieldType.Number);
        var date = await app.NewFieldAsync(CustomFieldType.Date);
        var checkbox = await app.NewFieldAsync(CustomFieldType.Checkbox);
        var single = await app.NewFieldAsync(CustomFieldType.SingleChoice, false, "Morning", "Evening");
        var multiple = await app.NewFieldAsync(CustomFieldType.MultipleChoice, false, "Music", "Art", "Sport");
        CustomValueInput[] values =
        [
            CustomValueInput.OfText(text.Id, " Piano "),
            CustomValueInput.OfText(longText.Id, "Line one\nLine two <img src=x onerror=alert(1)>"),
            CustomValueInput.OfNumber(number.Id, 12.75),
            CustomValueInput.OfDate(date.Id, new DateOnly(2025, 9, 1)),
            CustomValueInput.OfCheckbox(checkbox.Id, true),
            CustomValueInput.OfOptions(single.Id, single.Options[1].Id),
            CustomValueInput.OfOptions(multiple.Id, multiple.Options[2].Id, multiple.Options[0].Id),
        ];

        var id = await app.NewLeadAsync(op, values: values);
        var stored = (await app.AsAsync(op, false, leads => leads.GetAsync(id)))!.CustomValues;

        Assert.Equal("Piano", stored[text.Id].Text);
        Assert.Equal("Line one\nLine two <img src=x onerror=alert(1)>", stored[longText.Id].Text);
        Assert.Equal(12.75, stored[number.Id].Number);
        Assert.Equal(new DateOnly(2025, 9, 1), stored[date.Id].Date);
        Assert.True(stored[checkbox.Id].Checkbox);
        Assert.Equal([single.Options[1].Id], stored[single.Id].OptionIds);
        Assert.Equal([multiple.Options[0].Id, multiple.Options[2].Id], stored[multiple.Id].OptionIds.Order());

        await using var db = app.Db();
        Assert.Equal(2, await db.CustomFieldValues.CountAsync(v => v.LeadId == id && v.CustomFieldId == multiple.Id));
        Assert.Equal(12.75, await db.CustomFieldValues.Where(v => v.LeadId == id && v.CustomFieldId == number.Id).Select(v => v.NumberValue).SingleAsync());
    }

    [Fact]
    public async Task Editing_records_a_history_line_per_change_with_names_not_ids()
    {
        var op = await app.NewOperatorAsync("Olga Editor");
        var colleague = await app.NewOperatorAsync("Carla Colleague");
        var status = await app.NewStatusAsync();
        var choice = await app.NewFieldAsync(CustomFieldType.MultipleChoice, false, "Music", "Art");
        var when = await app.NewFieldAsync(CustomFieldType.Date);
        var id = await app.NewLeadAsync(op, values: [CustomValueInput.OfOptions(choice.Id, choice.Options[0].Id)]);
        var lead = (await app.AsAsync(op, false, leads => leads.GetAsync(id)))!;

        await app.AsAsync(op, false, leads => leads.UpdateAsync(
            id,
            lead.Version,
            lead.Person with { LastName = "Bianchi", Gender = Gender.Female, DateOfBirth = new DateOnly(2001, 5, 6) },
            status.Id,
            colleague.Id,
            [CustomValueInput.OfOptions(choice.Id, choice.Options[0].Id, choice.Options[1].Id), CustomValueInput.OfDate(when.Id, new DateOnly(2025, 10, 1))]));

        var history = await app.AsAsync(op, false, leads => leads.GetHistoryAsync(id));
        var changes = history.Where(h => h.Field != LeadService.CreatedEvent).ToDictionary(h => h.Field);
        Assert.DoesNotContain("FirstName", changes.Keys);
        Assert.Equal((null, "Bianchi"), (changes["LastName"].OldValue, changes["LastName"].NewValue));
        Assert.Equal(("NotGiven", "Female"), (changes["Gender"].OldValue, changes["Gender"].NewValue));
        Assert.Equal(HistoryValueKind.Gender, changes["Gender"].Kind);
        Assert.Equal(HistoryValueKind.Date, changes["DateOfBirth"].Kind);
        Assert.Equal(("New", status.Name), (changes["StatusId"].OldValue, changes["StatusId"].NewValue));
        Assert.Equal((null, "Carla Colleague"), (changes["AssignedToUserId"].OldValue, changes["AssignedToUserId"].NewValue));
        var options = changes[CustomValueRules.FieldKey(choice.Id)];
        Assert.Equal(choice.Name, options.CustomFieldName);
        Assert.Equal(("Music", "Music, Art"), (options.OldValue, options.NewValue));
        Assert.Equal((null, "2025-10-01"), (changes[CustomValueRules.FieldKey(when.Id)].OldValue, changes[CustomValueRules.FieldKey(when.Id)].NewValue));
        Assert.All(history, h => Assert.Equal("Olga Editor", h.UserName));
        Assert.Equal(LeadService.CreatedEvent, history[^1].Field);
    }

    [Fact]
    public async Task Quick_edits_of_status_assignee_and_checkbox_save_at_once_with_history()
    {
        var op = await app.NewOperatorAsync("Olga Quick");
        var status = await app.NewStatusAsync();
        var checkbox = await app.NewFieldAsync(CustomFieldType.Checkbox);
        var id = await app.NewLeadAsync(op);

        await app.AsAsync(op, false, leads => leads.ChangeStatusAsync(id, status.Id));
        await app.AsAsync(op, false, leads => leads.AssignAsync(id, op.Id));
        await app.AsAsync(op, false, leads => leads.SetCheckboxAsync(id, checkbox.Id, true));

        var lead = (await app.AsAsync(op, false, leads => leads.GetAsync(id)))!;
        Assert.Equal(status.Id, lead.StatusId);
        Assert.Equal(op.Id, lead.AssignedToUserId);
        Assert.True(lead.CustomValues[checkbox.Id].Checkbox);
        var history = await app.AsAsync(op, false, leads => leads.GetHistoryAsync(id));
        Assert.Equal(
            [CustomValueRules.FieldKey(checkbox.Id), "AssignedToUserId", "StatusId", LeadService.CreatedEvent],
            history.Select(h => h.Field));
        Assert.Equal((null, "true"), (history[0].OldValue, history[0].NewValue));

        await app.AsAsync(op, false, leads => leads.SetCheckboxAsync(id, checkbox.Id, false));
        await app.AsAsync(op, false, leads => leads.AssignAsync(id, null));
        lead = (await app.AsAsync(op, false, leads => leads.GetAsync(id)))!;
        Assert.False(lead.CustomValues.ContainsKey(checkbox.Id));
        Assert.Null(lead.AssignedToUserId);
    }

    [Fact]
    public async Task A_second_save_with_the_same_version_is_a_conflict_and_changes_nothing()
    {
        var op = await app.NewOperatorAsync();
        var other = await app.NewOperatorAsync();
        var id = await app.NewLeadAsync(op);
        var loaded = (await app.AsAsync(op, false, leads => leads.GetAsync(id)))!;

        await app.AsAsync(op, false, leads => leads.UpdateAsync(id, loaded.Version, loaded.Person with { City = "Roma" }, loaded.StatusId, null, []));
        var error = await Assert.ThrowsAsync<DomainException>(() => app.AsAsync(other, false, leads =>
            leads.UpdateAsync(id, loaded.Version, loaded.Person with { City = "Milano", Notes = "typed meanwhile" }, loaded.StatusId, null, [])));

        Assert.Equal("lead.conflict", error.Code);
        var now = (await app.AsAsync(op, false, leads => leads.GetAsync(id)))!;
        Assert.Equal("Roma", now.Person.City);
        Assert.Null(now.Person.Notes);
    }

    [Fact]
    public async Task A_save_that_raced_another_one_is_refused_by_the_database()
    {
        var op = await app.NewOperatorAsync();
        var id = await app.NewLeadAsync(op);
        await using var slow = app.Db();
        var loadedBeforeTheOtherSave = await slow.Leads.SingleAsync(l => l.Id == id);

        await app.AsAsync(op, false, leads => leads.AssignAsync(id, op.Id));
        loadedBeforeTheOtherSave.Update(loadedBeforeTheOtherSave.Details with { City = "Lost" }, op.Id, DateTime.UtcNow);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => slow.SaveChangesAsync());
    }

    [Fact]
    public async Task A_quick_edit_makes_an_open_edit_form_stale()
    {
        var op = await app.NewOperatorAsync();
        var status = await app.NewStatusAsync();
        var id = await app.NewLeadAsync(op);
        var form = (await app.AsAsync(op, false, leads => leads.GetAsync(id)))!;

        await app.AsAsync(op, false, leads => leads.ChangeStatusAsync(id, status.Id));
        var error = await Assert.ThrowsAsync<DomainException>(() => app.AsAsync(op, false, leads =>
            leads.UpdateAsync(id, form.Version, form.Person with { City = "Roma" }, form.StatusId, null, [])));

        Assert.Equal("lead.conflict", error.Code);
        Assert.Equal(status.Id, (await app.AsAsync(op, false, leads => leads.GetAsync(id)))!.StatusId);
    }

    [Fact]
    public async Task A_removed_status_or_a_disabled_assignee_gives_a_clear_message()
    {
        var op = await app.NewOperatorAsync();
        var disabled = await app.NewOperatorAsync("Dora Disabled");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByIdAsync(disabled.Id))!;
            user.IsDisabled = true;
            await users.UpdateAsync(user);
        }

        var id = await app.NewLeadAsync(op);
        var statusId = await app.DefaultStatusIdAsync();

        Assert.Equal("lead.status_missing", (await Assert.ThrowsAsync<DomainException>(() => app.AsAsync(op, false, leads => leads.ChangeStatusAsync(id, 987654)))).Code);
        Assert.Equal("lead.assignee_missing", (await Assert.ThrowsAsync<DomainException>(() => app.AsAsync(op, false, leads => leads.AssignAsync(id, disabled.Id)))).Code);
        Assert.Equal("lead.assignee_missing", (await Assert.ThrowsAsync<DomainException>(() => app.AsAsync(op, false, leads => leads.AssignAsync(id, "no-such-user")))).Code);
        var create = await Assert.ThrowsAsync<DomainException>(() => app.AsAsync(op, false, leads =>
            leads.CreateAsync(new PersonDetails { FirstName = "Anna", CaptureDate = new DateOnly(2025, 1, 1) }, 987654, null, [])));
        Assert.Equal(("lead.status_missing", "StatusId"), (create.Code, create.Field));

        var options = await app.AsAsync(op, false, leads => leads.GetFormOptionsAsync());
        Assert.DoesNotContain(options.Assignees, u => u.Id == disabled.Id);
        Assert.Contains(options.Assignees, u => u.Id == op.Id);
        Assert.Equal(statusId, options.DefaultStatusId);
    }

    [Fact]
    public async Task Archived_field_values_are_kept_when_the_form_is_saved()
    {
        var op = await app.NewOperatorAsync();
        var archived = await app.NewFieldAsync(CustomFieldType.Text);
        var id = await app.NewLeadAsync(op, values: [CustomValueInput.OfText(archived.Id, "kept")]);
        await using (var db = app.Db())
        {
            (await db.CustomFields.SingleAsync(f => f.Id == archived.Id)).Archive();
            await db.SaveChangesAsync();
        }

        var lead = (await app.AsAsync(op, false, leads => leads.GetAsync(id)))!;
        Assert.DoesNotContain(lead.CustomFields, f => f.Id == archived.Id);
        await app.AsAsync(op, false, leads => leads.UpdateAsync(id, lead.Version, lead.Person with { City = "Roma" }, lead.StatusId, null,
            [CustomValueInput.OfText(archived.Id, "overwritten by a stale form")]));

        await using var check = app.Db();
        Assert.Equal("kept", await check.CustomFieldValues.Where(v => v.LeadId == id && v.CustomFieldId == archived.Id).Select(v => v.TextValue).SingleAsync());
    }

    [Fact]
    public async Task An_operator_cannot_remove_a_lead_and_an_admin_removes_it_with_its_comments()
    {
        var admin = await app.AdminAsync();
        var op = await app.NewOperatorAsync();
        var id = await app.NewLeadAsync(op);
        await app.AsAsync(op, false, leads => leads.AddCommentAsync(id, "Called back"));

        var refused = await Assert.ThrowsAsync<DomainException>(() => app.AsAsync(op, false, leads => leads.DeleteAsync(id)));
        Assert.Equal("auth.admin_only", refused.Code);
        Assert.NotNull(await app.AsAsync(op, false, leads => leads.GetAsync(id)));

        await app.AsAsync(admin, true, leads => leads.DeleteAsync(id));

        Assert.Null(await app.AsAsync(admin, true, leads => leads.GetAsync(id)));
        await using var db = app.Db();
        Assert.False(await db.Comments.AnyAsync(c => c.LeadId == id));
        Assert.False(await db.History.AnyAsync(h => h.LeadId == id));
    }

    [Fact]
    public async Task Comments_list_newest_first_and_only_the_author_or_an_admin_edits_them()
    {
        var admin = await app.AdminAsync();
        var author = await app.NewOperatorAsync("Anna Author");
        var other = await app.NewOperatorAsync("Otto Other");
        var id = await app.NewLeadAsync(author);
        var first = await app.AsAsync(author, false, leads => leads.AddCommentAsync(id, "First call"));
        await app.AsAsync(author, false, leads => leads.AddCommentAsync(id, "Second call"));

        var refused = await Assert.ThrowsAsync<DomainException>(() => app.AsAsync(other, false, leads => leads.EditCommentAsync(first, "Hijacked")));
        Assert.Equal("comment.not_author", refused.Code);
        await app.AsAsync(author, false, leads => leads.EditCommentAsync(first, "First call, no answer"));

        var seenByOther = await app.AsAsync(other, false, leads => leads.ListCommentsAsync(id));
        Assert.Equal(["Second call", "First call, no answer"], seenByOther.Select(c => c.Text));
        Assert.All(seenByOther, c => Assert.Equal("Anna Author", c.AuthorName));
        Assert.All(seenByOther, c => Assert.False(c.CanEdit));
        Assert.NotNull(seenByOther[1].EditedAt);
        Assert.Null(seenByOther[0].EditedAt);

        await app.AsAsync(admin, true, leads => leads.EditCommentAsync(first, "Fixed by the admin"));
        var seenByAdmin = await app.AsAsync(admin, true, leads => leads.ListCommentsAsync(id));
        Assert.All(seenByAdmin, c => Assert.True(c.CanEdit));
        Assert.Equal("Fixed by the admin", seenByAdmin[1].Text);
    }
}
