using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Leads.Demo;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Leads.Demo;

public sealed class DemoDataTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>
{
    [Fact]
    public async Task Seeding_200_leads_gives_200_leads_with_statuses_operators_custom_values_and_comments()
    {
        var created = await DemoData.SeedAsync(app.Services, 200);

        var factory = app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var statusIds = await db.LeadStatuses.Select(s => s.Id).ToListAsync();
        var leads = await db.Leads.AsNoTracking().ToListAsync();
        Assert.Equal(200, created);
        Assert.Equal(200, leads.Count);
        Assert.All(leads, l => Assert.Contains(l.StatusId, statusIds));
        Assert.All(leads, l => Assert.False(string.IsNullOrWhiteSpace(l.FirstName)));
        Assert.True(leads.Select(l => l.StatusId).Distinct().Count() > 1);
        Assert.Contains(leads, l => l.AssignedToUserId is not null);

        // Custom fields were created (none existed) and most leads have values in them.
        Assert.True(await db.CustomFields.CountAsync() >= 5);
        var leadsWithValues = await db.CustomFieldValues.Where(v => v.LeadId != null).Select(v => v.LeadId).Distinct().CountAsync();
        Assert.True(leadsWithValues > 150, $"only {leadsWithValues} leads have custom values");
        Assert.True(await db.Comments.CountAsync(c => c.LeadId != null) > 100);

        // Written by BulkInsert from the entities, so with the folded keys that filters and sorts compare.
        var texts = await db.CustomFieldValues.Where(v => v.TextValue != null).Select(v => new { v.TextValue, v.TextKey }).ToListAsync();
        Assert.NotEmpty(texts);
        Assert.All(texts, t => Assert.Equal(TextFolding.Fold(t.TextValue!), t.TextKey));

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.True((await users.GetUsersInRoleAsync(Roles.Operator)).Count >= 3);
    }
}
