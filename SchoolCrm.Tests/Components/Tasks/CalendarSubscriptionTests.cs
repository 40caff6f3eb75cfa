using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Tasks.Feed;

namespace SchoolCrm.Tests.Components.Tasks;

/// <summary>The profile's calendar subscription over the real services and database.</summary>
public sealed class CalendarSubscriptionTests(TasksApp app) : AppComponentTest<TasksApp>(app)
{
    [Fact]
    public async Task Creating_shows_the_working_address_once_and_later_only_that_one_is_active()
    {
        var olga = await App.NewOperatorAsync();
        var card = RenderAs<CalendarSubscription>(olga, isAdmin: false);
        card.WaitForElement("#feed-none");

        await card.Find("#create-feed").ClickAsync(new());

        var url = card.WaitForElement("input#feed-url").GetAttribute("value")!;
        Assert.StartsWith("http://localhost/calendar/feed/", url, StringComparison.Ordinal);
        var token = url["http://localhost/calendar/feed/".Length..^".ics".Length];
        var content = await App.Services.GetRequiredService<CalendarFeedService>().ReadAsync(token);
        Assert.NotNull(content);
        Assert.Empty(card.FindAll("#create-feed"));

        var later = Ctx.Render<CalendarSubscription>();
        later.WaitForElement("#feed-active");
        Assert.Empty(later.FindAll("#feed-url"));
    }

    [Fact]
    public async Task Revoking_asks_first_and_then_the_user_has_no_address()
    {
        var olga = await App.NewOperatorAsync();
        var card = RenderAs<CalendarSubscription>(olga, isAdmin: false);
        var dialogs = Ctx.Render<MudDialogProvider>();
        await card.WaitForElement("#create-feed").ClickAsync(new());
        card.WaitForElement("#revoke-feed");

        card.Find("#revoke-feed").Click();
        await dialogs.WaitForElement(".mud-message-box__yes-button").ClickAsync(new());

        card.WaitForElement("#feed-none");
        await using var db = App.Db();
        Assert.False(await db.CalendarFeeds.AnyAsync(f => f.UserId == olga.Id));
    }
}
