using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.CrmConfiguration;
using SchoolCrm.Web.Features.Students;

namespace SchoolCrm.Tests.Features.Students;

/// <summary>Deleting a status in use (issue 3, point 6) when some of its leads are already students.</summary>
public sealed class StatusDeletionTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>
{
    [Fact]
    public async Task Deleting_a_status_in_use_moves_its_leads_converted_ones_too_and_only_the_leads_history_records_it()
    {
        var admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        await using var scope = app.Services.CreateScopeAs(admin, isAdmin: true);
        var config = scope.ServiceProvider.GetRequiredService<CrmConfigurationService>();
        var leaving = await config.AddStatusAsync("Leaving status");
        var receiving = await config.AddStatusAsync("Receiving status");
        var inCrm = await app.Services.AddLeadAsync(Person("StillLead"), leaving, admin.Id);
        var converted = await app.Services.AddLeadAsync(Person("NowStudent"), leaving, admin.Id);
        await app.Services.AddHistoryAsync(converted.Id, new FieldChange("City", null, "Bolzano"), admin.Id, StudentTestData.Now);
        var studentId = await scope.ServiceProvider.GetRequiredService<LeadConversionService>().ConvertAsync(converted.Id);
        var studentHistoryBefore = await StudentHistoryAsync(scope, studentId);

        await config.DeleteStatusAsync(leaving, receiving);

        await using var db = await app.Services.DbAsync();
        var leads = await db.Leads.Where(l => l.Id == inCrm.Id || l.Id == converted.Id).ToDictionaryAsync(l => l.Id);
        Assert.All(leads.Values, l => Assert.Equal(receiving, l.StatusId));
        Assert.Null(leads[inCrm.Id].ConvertedAt);
        Assert.NotNull(leads[converted.Id].ConvertedAt);

        var move = await db.History.SingleAsync(h => h.LeadId == inCrm.Id && h.Field == nameof(Lead.StatusId));
        Assert.Equal(
            (Id(leaving), Id(receiving), admin.Id, (int?)null),
            (move.OldValue, move.NewValue, move.UserId, move.StudentId));

        // A student has no status: the move belongs to the converted lead's own record, not to the student's page.
        Assert.True(await db.History.AnyAsync(h => h.LeadId == converted.Id && h.StudentId == null && h.Field == nameof(Lead.StatusId)));
        Assert.Equal(studentHistoryBefore, await StudentHistoryAsync(scope, studentId));
        Assert.Contains(studentHistoryBefore, h => h.Field == "City" && h.NewValue == "Bolzano");
    }

    private static PersonDetails Person(string firstName) => new() { FirstName = firstName, CaptureDate = new DateOnly(2026, 11, 1) };

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static async Task<List<SchoolCrm.Web.Features.Records.HistoryItem>> StudentHistoryAsync(AsyncServiceScope scope, int studentId) =>
        [.. (await scope.ServiceProvider.GetRequiredService<StudentService>().GetAsync(studentId))!.History];
}
