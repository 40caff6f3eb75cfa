using Bunit;
using MudBlazor;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Tasks;

namespace SchoolCrm.Tests.Components.Tasks;

public sealed class ViewedUserSelectTests(TasksApp app) : AppComponentTest<TasksApp>(app)
{
    [Fact]
    public async Task An_admin_is_offered_every_operator_with_disabled_ones_marked_and_choosing_one_reports_its_id()
    {
        var admin = await App.AdminAsync();
        var olga = await App.NewOperatorAsync("Olga Viewed");
        var gone = await App.NewOperatorAsync("Gina Gone");
        await App.DisableAsync(gone);
        string? chosen = "unset";

        var select = RenderAs<ViewedUserSelect>(admin, isAdmin: true, p => p
            .Add(s => s.UserId, null)
            .Add(s => s.UserIdChanged, (string? id) => chosen = id));

        select.WaitForState(() => select.FindComponents<MudSelect<string>>().Count == 1);
        var mud = select.FindComponent<MudSelect<string>>();
        Assert.Equal("viewed-user", mud.Instance.UserAttributes["id"]);
        Assert.Equal(admin.DisplayName, select.Find("input#viewed-user").GetAttribute("value"));
        Assert.Equal("Olga Viewed", mud.Instance.ToStringFunc!(olga.Id));
        Assert.Equal("Gina Gone (disabled)", mud.Instance.ToStringFunc!(gone.Id));

        await select.InvokeAsync(() => mud.Instance.ValueChanged.InvokeAsync(olga.Id));
        Assert.Equal(olga.Id, chosen);

        // Choosing oneself again means "me", so a page can drop its ?user=.
        await select.InvokeAsync(() => mud.Instance.ValueChanged.InvokeAsync(admin.Id));
        Assert.Null(chosen);
    }

    [Fact]
    public async Task An_operator_sees_no_select_at_all()
    {
        var olga = await App.NewOperatorAsync("Olga Plain");

        var select = RenderAs<ViewedUserSelect>(olga, isAdmin: false);

        Assert.Empty(select.FindAll("#viewed-user"));
        Assert.Empty(select.Markup.Trim());
    }
}
