using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using SchoolCrm.Domain.Email;

namespace SchoolCrm.Web.Features.Email;

/// <summary>
/// The optional <c>Smtp</c> section. Without it, or with an empty <c>Host</c>, e-mail is off: nothing is written to the
/// outbox and the profile says so. <see cref="PublicUrl"/> comes from <c>School:PublicUrl</c>.
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>MailKit's choices: <c>StartTls</c> (port 587), <c>SslOnConnect</c> (port 465), <c>StartTlsWhenAvailable</c>, <c>Auto</c>, <c>None</c>.</summary>
    public SecureSocketOptions TlsMode { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>Signs in to the server only when set.</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    public string? FromAddress { get; set; }

    public string FromName { get; set; } = "SchoolCrm";

    /// <summary>Attempts before an e-mail is given up (see <see cref="EmailRetry"/> for the waits between them).</summary>
    public int MaxAttempts { get; set; } = EmailRetry.DefaultMaxAttempts;

    /// <summary>How long one connection or command may take before the attempt counts as failed.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>The address users reach the app at (<c>School:PublicUrl</c>), for the link to the task.</summary>
    public string? PublicUrl { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The public address without a trailing slash.</summary>
    public string PublicBase => (PublicUrl ?? "").TrimEnd('/');
}

/// <summary>Stops the app at start-up when e-mail is on but cannot work: no sender address, no public address.</summary>
internal sealed class SmtpOptionsValidation : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        if (!options.IsEnabled)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (!MailboxAddress.TryParse(options.FromAddress ?? "", out _) || string.IsNullOrWhiteSpace(options.FromAddress))
        {
            errors.Add("Smtp:FromAddress must be the e-mail address the app sends from (e.g. crm@school.example) when Smtp:Host is set.");
        }

        if (!Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add("School:PublicUrl must be the address users open the app at (e.g. https://crm.school.example) when Smtp:Host is set: e-mails link to it.");
        }

        if (options.Port is < 1 or > 65535)
        {
            errors.Add("Smtp:Port must be between 1 and 65535.");
        }

        if (options.MaxAttempts < 1)
        {
            errors.Add("Smtp:MaxAttempts must be at least 1.");
        }

        if (options.TimeoutSeconds < 1)
        {
            errors.Add("Smtp:TimeoutSeconds must be at least 1.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
