using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.CrmConfiguration;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.CrmConfiguration;

/// <summary>
/// The configuration lists against the real app and database. Tests share one database, so each works on
/// entries it adds itself (unique names) and asserts relative to them.
/// </summary>
public sealed class CrmConfigurationServiceTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>, IAsyncLifetime
{
    private AsyncServiceScope adminScope;
    private CrmConfigurationService config = default!;

    public async Task InitializeAsync()
    {
        var admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        adminScope = app.Services.CreateScopeAs(admin, isAdmin: true);
        config = adminScope.ServiceProvider.GetRequiredService<CrmConfigurationService>();
    }

    public async Task DisposeAsync() => await adminScope.DisposeAsync();

    [Theory]
    [InlineData("Warm Lead {0}", "warm lead {0}")]
    [InlineData("Warm Lead {0}", "  WARM LEAD {0}  ")]
    public async Task A_status_name_that_differs_only_in_case_or_spaces_is_refused(string first, string second)
    {
        var unique = Guid.NewGuid().ToString("N")[..6];
        await config.AddStatusAsync(string.Format(CultureInfo.InvariantCulture, first, unique));

        var error = await Assert.ThrowsAsync<DomainException>(
            () => config.AddStatusAsync(string.Format(CultureInfo.InvariantCulture, second, unique.ToUpperInvariant())));

        Assert.Equal(("name.duplicate", "Name"), (error.Code, error.Field));
        Assert.Single(await config.ListStatusesAsync(), s => s.Name.Contains(unique, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Renaming_to_another_entrys_name_is_refused_but_changing_only_the_case_of_its_own_is_allowed()
    {
        var callId = await config.AddTaskTypeAsync("Callback dup");
        await config.AddTaskTypeAsync("Visit dup");

        var error = await Assert.ThrowsAsync<DomainException>(() => config.RenameTaskTypeAsync(callId, "VISIT DUP"));
        await config.RenameTaskTypeAsync(callId, "CALLBACK dup");

        Assert.Equal("name.duplicate", error.Code);
        Assert.Contains(await config.ListTaskTypesAsync(), t => t.Id == callId && t.Name == "CALLBACK dup");
    }

    [Fact]
    public async Task A_task_type_name_that_differs_only_in_case_is_refused()
    {
        await config.AddTaskTypeAsync("Rückruf");

        var error = await Assert.ThrowsAsync<DomainException>(() => config.AddTaskTypeAsync("RÜCKRUF"));

        Assert.Equal("name.duplicate", error.Code);
    }

    [Theory]
    [InlineData("", "name.required")]
    [InlineData("   ", "name.required")]
    [InlineData(null, "name.required")]
    public async Task An_empty_name_is_refused(string? name, string code)
    {

        var statusError = await Assert.ThrowsAsync<DomainException>(() => config.AddStatusAsync(name!));
        var typeError = await Assert.ThrowsAsync<DomainException>(() => config.AddTaskTypeAsync(name!));

        Assert.Equal((code, "Name"), (statusError.Code, statusError.Field));
        Assert.Equal(code, typeError.Code);
    }

    [Fact]
    public async Task Names_are_trimmed_and_may_have_60_characters_but_not_61()
    {
        var sixty = "S" + Guid.NewGuid().ToString("N")[..8] + new string('x', 51);
        Assert.Equal(60, sixty.Length);

        var id = await config.AddStatusAsync("  " + sixty + "  ");
        var error = await Assert.ThrowsAsync<DomainException>(() => config.AddStatusAsync(sixty + "y"));
        var renameError = await Assert.ThrowsAsync<DomainException>(() => config.RenameStatusAsync(id, sixty + "y"));

        Assert.Contains(await config.ListStatusesAsync(), s => s.Id == id && s.Name == sixty);
        Assert.Equal("name.too_long", error.Code);
        Assert.Equal("name.too_long", renameError.Code);
    }

    [Fact]
    public async Task Moving_an_entry_swaps_it_with_its_neighbour_and_the_ends_stay_put()
    {
        var a = await config.AddTaskTypeAsync("Order A");
        var b = await config.AddTaskTypeAsync("Order B");
        var c = await config.AddTaskTypeAsync("Order C");

        await config.MoveTaskTypeAsync(c, -1);
        Assert.Equal([a, c, b], await OrderOfAsync(a, b, c));

        await config.MoveTaskTypeAsync(a, 1);
        Assert.Equal([c, a, b], await OrderOfAsync(a, b, c));

        // b is the last entry of the whole list: moving it down changes nothing.
        await config.MoveTaskTypeAsync(b, 1);
        Assert.Equal([c, a, b], await OrderOfAsync(a, b, c));
    }

    [Fact]
    public async Task Statuses_are_reordered_the_same_way()
    {
        var first = (await config.ListStatusesAsync())[0].Id;
        var added = await config.AddStatusAsync("Reorder me");

        await config.MoveStatusAsync(added, -1);

        var statuses = await config.ListStatusesAsync();
        Assert.Equal(added, statuses[^2].Id);
        await config.MoveStatusAsync(first, -1);
        Assert.Equal(first, (await config.ListStatusesAsync())[0].Id);
    }

    [Fact]
    public async Task An_unused_status_and_an_unused_task_type_are_deleted()
    {
        var status = await config.AddStatusAsync("Short-lived status");
        var type = await config.AddTaskTypeAsync("Short-lived type");

        await config.DeleteStatusAsync(status, null);
        await config.DeleteTaskTypeAsync(type, null);

        Assert.DoesNotContain(await config.ListStatusesAsync(), s => s.Id == status);
        Assert.DoesNotContain(await config.ListTaskTypesAsync(), t => t.Id == type);
    }

    [Fact]
    public async Task A_status_in_use_is_not_deleted_without_a_replacement()
    {
        var status = await config.AddStatusAsync("Busy status");
        await InsertLeadsAsync(status, 2);

        var error = await Assert.ThrowsAsync<DomainException>(() => config.DeleteStatusAsync(status, null));

        Assert.Equal(("configuration.in_use", "MoveTo"), (error.Code, error.Field));
        Assert.Contains(await config.ListStatusesAsync(), s => s.Id == status && s.UsageCount == 2);
    }

    [Fact]
    public async Task Deleting_a_status_in_use_moves_its_leads_to_the_chosen_one_with_a_history_entry_each()
    {
        var doomed = await config.AddStatusAsync("Doomed status");
        var target = await config.AddStatusAsync("Target status");
        var moved = await InsertLeadsAsync(doomed, 3);
        var untouched = await InsertLeadsAsync(target, 1);
        Assert.Equal(3, await config.CountLeadsWithStatusAsync(doomed));

        await config.DeleteStatusAsync(doomed, target);

        await using var db = await CreateDbAsync();
        Assert.False(await db.LeadStatuses.AnyAsync(s => s.Id == doomed));
        Assert.False(await db.Leads.AnyAsync(l => l.StatusId == doomed));
        Assert.Equal(4, await db.Leads.CountAsync(l => l.StatusId == target));
        var history = await db.History.Where(h => h.LeadId != null && moved.Contains(h.LeadId.Value)).ToListAsync();
        Assert.Equal(moved.Order(), history.Select(h => h.LeadId!.Value).Order());
        var admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        Assert.All(history, h => Assert.Equal(
            ("StatusId", doomed.ToString(CultureInfo.InvariantCulture), target.ToString(CultureInfo.InvariantCulture), admin.Id),
            (h.Field, h.OldValue, h.NewValue, h.UserId)));
        Assert.False(await db.History.AnyAsync(h => h.LeadId == untouched[0]));
    }

    [Fact]
    public async Task A_status_cannot_move_its_leads_to_itself_or_to_a_status_that_is_gone()
    {
        var status = await config.AddStatusAsync("Self mover");
        await InsertLeadsAsync(status, 1);

        var self = await Assert.ThrowsAsync<DomainException>(() => config.DeleteStatusAsync(status, status));
        var gone = await Assert.ThrowsAsync<DomainException>(() => config.DeleteStatusAsync(status, 999_999));

        Assert.Equal("configuration.move_to_self", self.Code);
        Assert.Equal("stale", gone.Code);
        Assert.Equal(1, await config.CountLeadsWithStatusAsync(status));
    }

    [Fact]
    public async Task Exactly_one_status_is_the_default_and_a_new_status_is_not()
    {
        var added = await config.AddStatusAsync("Candidate default");
        Assert.False((await config.ListStatusesAsync()).Single(s => s.Id == added).IsDefault);

        await config.SetDefaultStatusAsync(added);

        var defaults = (await config.ListStatusesAsync()).Where(s => s.IsDefault).ToList();
        Assert.Equal(added, Assert.Single(defaults).Id);
    }

    [Fact]
    public async Task The_default_status_is_deleted_only_with_a_replacement_which_becomes_the_default()
    {
        var oldDefault = await config.AddStatusAsync("Old default");
        var successor = await config.AddStatusAsync("Successor");
        await config.SetDefaultStatusAsync(oldDefault);

        var error = await Assert.ThrowsAsync<DomainException>(() => config.DeleteStatusAsync(oldDefault, null));
        Assert.Equal("status.default_needs_replacement", error.Code);

        await config.DeleteStatusAsync(oldDefault, successor);

        var defaults = (await config.ListStatusesAsync()).Where(s => s.IsDefault).ToList();
        Assert.Equal(successor, Assert.Single(defaults).Id);
    }

    [Fact]
    public async Task The_last_status_and_the_last_task_type_cannot_be_deleted()
    {
        await using var fresh = new CrmAppFactory();
        var admin = await fresh.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        await using var scope = fresh.Services.CreateScopeAs(admin, isAdmin: true);
        var freshConfig = scope.ServiceProvider.GetRequiredService<CrmConfigurationService>();
        var statuses = await freshConfig.ListStatusesAsync();
        var keep = statuses.Single(s => s.IsDefault).Id;
        foreach (var status in statuses.Where(s => s.Id != keep))
        {
            await freshConfig.DeleteStatusAsync(status.Id, null);
        }

        var types = await freshConfig.ListTaskTypesAsync();
        foreach (var type in types.Skip(1))
        {
            await freshConfig.DeleteTaskTypeAsync(type.Id, null);
        }

        var statusError = await Assert.ThrowsAsync<DomainException>(() => freshConfig.DeleteStatusAsync(keep, null));
        var typeError = await Assert.ThrowsAsync<DomainException>(() => freshConfig.DeleteTaskTypeAsync(types[0].Id, null));

        Assert.Equal("status.last", statusError.Code);
        Assert.Equal("tasktype.last", typeError.Code);
        Assert.Single(await freshConfig.ListStatusesAsync());
        Assert.Single(await freshConfig.ListTaskTypesAsync());
    }

    [Fact]
    public async Task A_status_colour_must_be_a_hex_colour()
    {
        var status = await config.AddStatusAsync("Colourful", "#43a047");

        await config.ChangeStatusColorAsync(status, "#e53935");
        var error = await Assert.ThrowsAsync<DomainException>(() => config.ChangeStatusColorAsync(status, "red; background:url(x)"));

        Assert.Equal("color.invalid", error.Code);
        Assert.Equal("#E53935", (await config.ListStatusesAsync()).Single(s => s.Id == status).Color);
    }

    [Fact]
    public async Task An_operator_is_refused_every_configuration_method()
    {
        var operatorUser = await app.Services.CreateUserAsync("config-operator@school.test", Roles.Operator);
        var status = (await config.ListStatusesAsync())[0].Id;
        await using var scope = app.Services.CreateScopeAs(operatorUser, isAdmin: false);
        var asOperator = scope.ServiceProvider.GetRequiredService<CrmConfigurationService>();

        Func<Task>[] calls =
        [
            () => asOperator.ListStatusesAsync(),
            () => asOperator.AddStatusAsync("Operator status"),
            () => asOperator.RenameStatusAsync(status, "Hijacked"),
            () => asOperator.ChangeStatusColorAsync(status, "#000000"),
            () => asOperator.SetDefaultStatusAsync(status),
            () => asOperator.MoveStatusAsync(status, 1),
            () => asOperator.DeleteStatusAsync(status, null),
            () => asOperator.ListTaskTypesAsync(),
            () => asOperator.AddTaskTypeAsync("Operator type"),
            () => asOperator.DeleteTaskTypeAsync(1, null),
        ];

        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<DomainException>(call);
            Assert.Equal("auth.admin_only", error.Code);
        }
    }

    private async Task<CrmDbContext> CreateDbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();

    private async Task<List<int>> InsertLeadsAsync(int statusId, int count)
    {
        var admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        await using var db = await CreateDbAsync();
        var leads = Enumerable.Range(1, count)
            .Select(i => Lead.Create(new PersonDetails { FirstName = "Lead " + i, CaptureDate = new DateOnly(2026, 11, 27) }, statusId, null, admin.Id, DateTime.UtcNow))
            .ToList();
        db.Leads.AddRange(leads);
        await db.SaveChangesAsync();
        return [.. leads.Select(l => l.Id)];
    }

    private async Task<List<int>> OrderOfAsync(params int[] ids) =>
        [.. (await config.ListTaskTypesAsync()).Select(t => t.Id).Where(ids.Contains)];
}
