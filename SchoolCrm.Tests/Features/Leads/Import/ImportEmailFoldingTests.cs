using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Import;
using SchoolCrm.Tests.Infrastructure;

namespace SchoolCrm.Tests.Features.Leads.Import;

public sealed class ImportEmailFoldingTests
{
    [Fact]
    public async Task An_e_mail_in_capitals_or_without_its_umlauts_matches_the_lead_already_in_the_crm()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        await kit.ImportFileAsync(kit.Xlsx(["First name", "E-mail"], ["Jörg", "jörg.müller@example.de"]));
        var path = kit.Xlsx(
            ["First name", "E-mail"],
            ["Jörg", "JÖRG.MÜLLER@EXAMPLE.DE"],
            ["Jorg", "jorg.muller@example.de"],
            ["Other", "other@example.de"]);

        var import = await kit.ImportFileAsync(path, DuplicatePolicy.Skip);

        Assert.Equal((1, 2), (import.Created, import.Skipped));
        await using var db = await kit.DbAsync();
        Assert.Equal(2, await db.Leads.CountAsync());
    }
}
