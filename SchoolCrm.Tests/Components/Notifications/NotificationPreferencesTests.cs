using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Notifications;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Components.Notifications;

/// <summary>The profile's notification choices over the real service and database.</summary>
public sealed class NotificationPreferencesTests(TasksApp app) : AppComponentTest<TasksApp>(app)
{
    [Fact]
    public async Task The_card_shows_popup_and_e_mail_for_both_kinds_says_e_mail_is_off_and_saves_a_choice_at_once()
    {
        var olga = await App.NewOperatorAsync("Olga Quiet");

        var card = RenderAs<NotificationPreferences>(olga, isAdmin: false);

        card.WaitForState(() => card.FindComponents<MudSelect<NotificationDelivery>>().Count == 2);
        var selects = card.FindComponents<MudSelect<NotificationDelivery>>();
        Assert.Equal("Popup and e-mail", card.Find("input#delivery-assignment").GetAttribute("value"));
        Assert.Equal("Popup and e-mail", card.Find("input#delivery-reminder").GetAttribute("value"));
        Assert.Contains("E-mail is off", card.Find("#email-off").TextContent, StringComparison.Ordinal);

        var assignment = selects.Single(s => (string)s.Instance.UserAttributes["id"]! == "delivery-assignment");
        await card.InvokeAsync(() => assignment.Instance.ValueChanged.InvokeAsync(NotificationDelivery.None));

        await using var db = App.Db();
        var stored = await db.Users.Where(u => u.Id == olga.Id).Select(u => new { u.AssignmentDelivery, u.ReminderDelivery }).SingleAsync();
        Assert.Equal((NotificationDelivery.None, NotificationDelivery.PopupAndEmail), (stored.AssignmentDelivery, stored.ReminderDelivery));
        card.WaitForAssertion(() => Assert.Equal("Only under the bell", card.Find("input#delivery-assignment").GetAttribute("value")));
    }
}
