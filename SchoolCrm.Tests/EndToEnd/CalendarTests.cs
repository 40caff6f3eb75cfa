using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SchoolCrm.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SchoolCrm.Tests.EndToEnd;

/// <summary>The personal calendar in Chromium against the running app (real time: "today" is whatever day it is at the school).</summary>
public sealed partial class CalendarTests(CrmServerFixture server, ITestOutputHelper output) : BrowserTest(server, output)
{
    [Fact]
    public async Task An_event_is_created_by_clicking_an_hour_of_the_week_and_opens_from_the_calendar()
    {
        var page = await NewPageAsync();
        await SignIn.AsAsync(page, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);
        await page.GotoAsync("/leads");
        await WaitForInteractiveAsync(page);

        await page.ClickAsync("#nav-calendar");
        await Expect(page).ToHaveURLAsync(new Regex("/calendar$"));
        await page.ClickAsync("#calendar-view-week");
        await Expect(page).ToHaveURLAsync(new Regex("/calendar\\?view=week$"));

        var today = page.Locator("[data-testid=day-column].crm-cal-today");
        var day = await today.GetAttributeAsync("data-day");
        await today.Locator(".crm-cal-hour-slot[data-time='14:00']").ClickAsync();
        await Expect(page.Locator("#calendar-slot-dialog")).ToBeVisibleAsync();
        await page.ClickAsync("#calendar-slot-event");
        await Expect(page.Locator("#event-dialog input#event-start-time")).ToHaveValueAsync("14:00");
        await page.FillAsync("#event-dialog input#event-title", "Parents' evening");
        await page.ClickAsync("#event-save");
        await Expect(page.Locator("#event-dialog")).ToHaveCountAsync(0);

        // The new event sits in the slot that was clicked.
        var item = page.Locator($"[data-testid=day-column][data-day='{day}'] [data-kind=Event]", new() { HasText = "Parents' evening" });
        await Expect(item).ToBeVisibleAsync();
        await Expect(page.Locator($"[data-testid=day-column][data-day='{day}'] .crm-cal-hour-slot[data-time='14:00'] + [data-kind=Event]"))
            .ToContainTextAsync("Parents' evening");

        await item.ClickAsync();
        await Expect(page).ToHaveURLAsync(EventPageUrl());
        await Expect(page.Locator("#event-heading")).ToHaveTextAsync("Parents' evening");

        await page.ClickAsync("#event-back");
        await Expect(page).ToHaveURLAsync(new Regex("/calendar\\?view=week$"));
        await Expect(item).ToBeVisibleAsync();
    }

    [GeneratedRegex("/events/\\d+\\?returnUrl=%2Fcalendar%3Fview%3Dweek$")]
    private static partial Regex EventPageUrl();
}
