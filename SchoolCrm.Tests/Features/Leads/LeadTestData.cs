using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Leads;

/// <summary>Arranges leads, users, statuses and custom fields in the real app's database for lead tests.</summary>
internal static class LeadTestData
{
    public static string Unique(string prefix) => prefix + " " + Guid.NewGuid().ToString("N")[..8];

    public static Task<AppUser> AdminAsync(this CrmAppFactory app) => app.Services.FindUserAsync(CrmAppFactory.AdminEmail);

    public static Task<AppUser> NewOperatorAsync(this CrmAppFactory app, string displayName = "Olga Operator") =>
        app.Services.CreateUserAsync($"op-{Guid.NewGuid():N}@school.test", Roles.Operator, displayName);

    /// <summary>Runs a use case as the user, through the real LeadService and its authorization checks.</summary>
    public static async Task<T> AsAsync<T>(this CrmAppFactory app, AppUser user, bool isAdmin, Func<LeadService, Task<T>> action)
    {
        await using var scope = app.Services.CreateScopeAs(user, isAdmin);
        return await action(scope.ServiceProvider.GetRequiredService<LeadService>());
    }

    public static async Task AsAsync(this CrmAppFactory app, AppUser user, bool isAdmin, Func<LeadService, Task> action)
    {
        await using var scope = app.Services.CreateScopeAs(user, isAdmin);
        await action(scope.ServiceProvider.GetRequiredService<LeadService>());
    }

    public static CrmDbContext Db(this CrmAppFactory app) =>
        app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContext();

    public static async Task<int> DefaultStatusIdAsync(this CrmAppFactory app)
    {
        await using var db = app.Db();
        return await db.LeadStatuses.Where(s => s.IsDefault).Select(s => s.Id).SingleAsync();
    }

    public static async Task<LeadStatus> NewStatusAsync(this CrmAppFactory app, string? name = null)
    {
        await using var db = app.Db();
        var status = new LeadStatus(name ?? Unique("Status"), 50);
        db.LeadStatuses.Add(status);
        await db.SaveChangesAsync();
        return status;
    }

    public static async Task<CustomFieldDefinition> NewFieldAsync(this CrmAppFactory app, CustomFieldType type, bool required = false, params string[] options)
    {
        await using var db = app.Db();
        var field = new CustomField(Unique(type.ToString()), type, 10, required);
        foreach (var option in options)
        {
            field.AddOption(option);
        }

        db.CustomFields.Add(field);
        await db.SaveChangesAsync();
        return CustomFieldDefinition.From(field);
    }

    public static async Task<int> NewLeadAsync(this CrmAppFactory app, AppUser user, string firstName = "Anna", IReadOnlyList<CustomValueInput>? values = null)
    {
        var statusId = await app.DefaultStatusIdAsync();
        return await app.AsAsync(user, isAdmin: false, leads => leads.CreateAsync(
            new PersonDetails { FirstName = firstName, CaptureDate = new DateOnly(2025, 3, 1) }, statusId, null, values ?? []));
    }
}
