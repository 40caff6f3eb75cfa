using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Users;

/// <summary>
/// The last two active admins take each other's admin away at the same moment (issue 12): on PostgreSQL's READ
/// COMMITTED each would see the other still active and both would go through, leaving no admin.
/// </summary>
public sealed class LastAdminRaceTests
{
    public enum Change
    {
        Disable,
        Demote,
    }

    [Theory]
    [InlineData(Change.Disable, Change.Disable)]
    [InlineData(Change.Disable, Change.Demote)]
    [InlineData(Change.Demote, Change.Disable)]
    [InlineData(Change.Demote, Change.Demote)]
    public async Task Two_admins_taking_each_others_admin_away_at_once_leave_one_active_admin_and_the_second_is_refused(Change first, Change second)
    {
        RaceGate gate = null!;
        await using var app = new GatedApp(a => (gate = new RaceGate(a.ConnectionString)).Interceptors);
        var anna = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        var bert = await app.Services.CreateUserAsync("bert-admin@school.test", Roles.Admin, "Bert Admin");

        // Anna's change has written and is about to commit when Bert's starts.
        var annas = gate.RunAsync(firstCall: true, () => ApplyAsync(app, anna, bert, first));
        await gate.FirstPaused;
        var berts = gate.RunAsync(firstCall: false, () => ApplyAsync(app, bert, anna, second));

        Assert.Null(await annas);
        var refusal = RaceGate.Refusal(await berts);
        Assert.Equal("user.last_admin", refusal.Code);
        await using var scope = app.Services.CreateScopeAs(anna, isAdmin: true);
        var admins = (await scope.ServiceProvider.GetRequiredService<UserService>().ListAsync())
            .Where(u => u.Role == Roles.Admin && !u.IsDisabled).Select(u => u.Id);
        Assert.Equal([anna.Id], admins);
    }

    private static async Task ApplyAsync(GatedApp app, AppUser actor, AppUser target, Change change)
    {
        await using var scope = app.Services.CreateScopeAs(actor, isAdmin: true);
        var users = scope.ServiceProvider.GetRequiredService<UserService>();
        if (change == Change.Disable)
        {
            await users.SetDisabledAsync(target.Id, true);
        }
        else
        {
            Assert.Empty(await users.UpdateAsync(target.Id, target.DisplayName, Roles.Operator));
        }
    }
}
