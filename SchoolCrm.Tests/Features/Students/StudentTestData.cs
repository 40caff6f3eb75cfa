using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.CustomFields;

namespace SchoolCrm.Tests.Features.Students;

/// <summary>Leads, comments and custom fields put straight into the test app's database, as other features would.</summary>
internal static class StudentTestData
{
    public static readonly DateTime Now = new(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc);

    public static async Task<CrmDbContext> DbAsync(this IServiceProvider services) =>
        await services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();

    public static async Task<int> AnyStatusIdAsync(this IServiceProvider services)
    {
        await using var db = await services.DbAsync();
        return await db.LeadStatuses.OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
    }

    public static async Task<Lead> AddLeadAsync(this IServiceProvider services, PersonDetails details, string byUserId, params CustomFieldValue[] values) =>
        await services.AddLeadAsync(details, await services.AnyStatusIdAsync(), byUserId, values);

    public static async Task<Lead> AddLeadAsync(this IServiceProvider services, PersonDetails details, int statusId, string byUserId, params CustomFieldValue[] values)
    {
        await using var db = await services.DbAsync();
        var lead = Lead.Create(details, statusId, byUserId, byUserId, Now);
        lead.CustomValues.AddRange(values);
        db.Leads.Add(lead);
        await db.SaveChangesAsync();
        return lead;
    }

    public static Task<Lead> AddLeadAsync(this IServiceProvider services, string firstName, string lastName, string byUserId) =>
        services.AddLeadAsync(new PersonDetails { FirstName = firstName, LastName = lastName, CaptureDate = new DateOnly(2026, 11, 1) }, byUserId);

    public static async Task AddCommentAsync(this IServiceProvider services, int leadId, string authorUserId, string text, DateTime at)
    {
        await using var db = await services.DbAsync();
        db.Comments.Add(Comment.OnLead(leadId, authorUserId, text, at));
        await db.SaveChangesAsync();
    }

    public static async Task AddHistoryAsync(this IServiceProvider services, int leadId, FieldChange change, string userId, DateTime at)
    {
        await using var db = await services.DbAsync();
        db.History.Add(HistoryEntry.ForLead(leadId, change, userId, at));
        await db.SaveChangesAsync();
    }

    /// <summary>Creates a field through the admin service (so its rules run) and returns its definition.</summary>
    public static async Task<CustomFieldDefinition> CreateFieldAsync(this AsyncServiceScope adminScope, string name, CustomFieldType type, params string[] options)
    {
        var fields = adminScope.ServiceProvider.GetRequiredService<CustomFieldService>();
        var id = await fields.CreateAsync(new NewCustomField(name, type, false, options));
        return (await fields.ListActiveAsync()).Single(f => f.Id == id);
    }

    /// <summary>A scope nobody is signed in to, as a request before login.</summary>
    public static AsyncServiceScope CreateAnonymousScope(this IServiceProvider services)
    {
        var scope = services.CreateAsyncScope();
        var provider = (IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
        return scope;
    }
}
