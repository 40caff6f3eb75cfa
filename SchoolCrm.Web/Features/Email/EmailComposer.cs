using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SchoolCrm.Domain.Email;
using SchoolCrm.Domain.Notifications;
using SchoolCrm.Web.Features.Notifications;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Email;

/// <summary>Who an e-mail goes to: their address, name and own language choice (empty: the school's).</summary>
public sealed record EmailRecipient(string Address, string DisplayName, string? Culture);

/// <summary>
/// Writes the e-mail of a notification, plain text and HTML, in the recipient's language and formats (their own
/// choice, else the school's language), with times in the school's zone and an absolute link to the task. Everything
/// that comes from users (task title, type, lead name, the recipient's name) is HTML-escaped in the HTML part.
/// </summary>
public sealed class EmailComposer(
    IOptions<SmtpOptions> options,
    SchoolCulture school,
    SchoolClock clock,
    IStringLocalizer<NotificationsText> notificationText,
    IStringLocalizer<EmailText> text)
{
    // Escapes what HTML needs escaped (< > & " ') and leaves letters such as ä, è and ß readable.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>True when the <c>Smtp</c> section names a host: e-mail is on.</summary>
    public bool IsEnabled => options.Value.IsEnabled;

    public OutgoingEmail Compose(Notification notification, EmailRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(recipient);
        var language = Localization.Supported(recipient.Culture) ?? school.Language ?? Localization.DefaultCulture;
        var formats = school.FormatsFor(language);

        // The localizers and NotificationTexts read the current culture; this method is synchronous, so setting it
        // for the length of the call touches nothing else on this thread.
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = formats;
            CultureInfo.CurrentUICulture = formats;
            return Write(notification, recipient, formats);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
        }
    }

    private OutgoingEmail Write(Notification n, EmailRecipient recipient, CultureInfo formats)
    {
        var item = new NotificationItem(n.Id, n.Kind, n.TaskId, n.TaskTitle, n.TaskTypeName, n.LeadName, n.DeadlineUtc, n.DueUtc, n.CreatedAt, false);
        var subject = notificationText["Kind_" + n.Kind, n.TaskTitle].Value;
        var details = NotificationTexts.Details(item, notificationText, clock);
        var greeting = text["Mail_Greeting", string.IsNullOrWhiteSpace(recipient.DisplayName) ? recipient.Address : recipient.DisplayName].Value;
        var intro = text["Mail_Intro_" + n.Kind].Value;
        var open = text["Mail_OpenTask"].Value;
        var footer = text["Mail_Footer"].Value;
        var baseUrl = options.Value.PublicBase;
        var taskUrl = n.TaskId is { } taskId ? $"{baseUrl}/tasks/{taskId.ToString(CultureInfo.InvariantCulture)}" : null;
        var profileUrl = $"{baseUrl}/profile";

        var plain = new StringBuilder()
            .AppendLine(greeting).AppendLine()
            .AppendLine(intro).AppendLine()
            .AppendLine(n.TaskTitle)
            .AppendLine(details).AppendLine();
        if (taskUrl is not null)
        {
            plain.Append(open).Append(": ").AppendLine(taskUrl).AppendLine();
        }

        plain.AppendLine("-- ").Append(footer).Append(' ').AppendLine(profileUrl);

        static string E(string value) => Html.Encode(value);
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"").Append(E(formats.TwoLetterISOLanguageName)).Append("\"><head><meta charset=\"utf-8\"><title>")
            .Append(E(subject)).Append("</title></head><body style=\"font-family: sans-serif; line-height: 1.4\">")
            .Append("<p>").Append(E(greeting)).Append("</p>")
            .Append("<p>").Append(E(intro)).Append("</p>")
            .Append("<p><strong>").Append(E(n.TaskTitle)).Append("</strong><br>").Append(E(details)).Append("</p>");
        if (taskUrl is not null)
        {
            html.Append("<p><a href=\"").Append(E(taskUrl)).Append("\">").Append(E(open)).Append("</a></p>");
        }

        html.Append("<p style=\"color: #666; font-size: small\">").Append(E(footer)).Append(" <a href=\"").Append(E(profileUrl)).Append("\">")
            .Append(E(profileUrl)).Append("</a></p></body></html>");

        return OutgoingEmail.Create(n.Kind, recipient.Address, recipient.DisplayName, subject, plain.ToString(), html.ToString(), n.CreatedAt);
    }
}
