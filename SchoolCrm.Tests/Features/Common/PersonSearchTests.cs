using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Tests.Features.Students;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Leads.List;
using SchoolCrm.Web.Features.Students;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Common;

/// <summary>Names as German and Italian schools write them, searched and sorted in the lead and student lists.</summary>
public sealed class PersonSearchTests(PersonSearchTests.Names data) : IClassFixture<PersonSearchTests.Names>
{
    [Theory]
    [InlineData("muller")]
    [InlineData("müller")]
    [InlineData("MÜLLER")]
    public async Task Lead_search_ignores_case_and_accents_of_every_letter(string search)
    {
        var result = await data.ListLeadsAsync(new LeadListQuery { Search = search, PageSize = 100 });

        Assert.Equal(["Hans MÜLLER", "Lukas Müller", "Petra Muller"], result.Rows.Select(r => $"{r.FirstName} {r.LastName}").Order(StringComparer.Ordinal));
        Assert.Equal(3, result.TotalCount);
    }

    [Theory]
    [InlineData("nicolo")]
    [InlineData("NICOLÒ")]
    [InlineData("nicolò ferri")]
    public async Task Lead_search_finds_an_italian_accent_typed_without_it_or_in_capitals(string search)
    {
        var result = await data.ListLeadsAsync(new LeadListQuery { Search = search });

        Assert.Equal(["Nicolò"], result.Rows.Select(r => r.FirstName));
    }

    [Fact]
    public async Task Lead_search_folds_the_e_mail_too()
    {
        var result = await data.ListLeadsAsync(new LeadListQuery { Search = "LUKAS.MULLER@" });

        Assert.Equal(["Lukas"], result.Rows.Select(r => r.FirstName));
    }

    [Theory]
    [InlineData(false, new[] { "anna", "Élodie", "Emil", "Ömer", "Oscar", "Zoë" })]
    [InlineData(true, new[] { "Zoë", "Oscar", "Ömer", "Emil", "Élodie", "anna" })]
    public async Task Sorting_leads_by_name_puts_accented_letters_with_their_base_letter_and_ignores_case(bool descending, string[] expected)
    {
        var result = await data.ListLeadsAsync(new LeadListQuery { Search = "bauer", Sort = LeadColumns.Name, Descending = descending });

        Assert.Equal(expected, result.Rows.Select(r => r.FirstName));
    }

    [Fact]
    public async Task Sorting_leads_by_city_folds_the_city_the_same_way()
    {
        var result = await data.ListLeadsAsync(new LeadListQuery { Search = "bauer", Sort = LeadFields.City.Key, Columns = [LeadColumns.Name, LeadFields.City.Key] });

        Assert.Equal(["ancona", "Empoli", "Überlingen", "Ulm", "zug", "Zürich"], result.Rows.Select(r => r.City));
    }

    [Theory]
    [InlineData("ozturk")]
    [InlineData("ÖZTÜRK")]
    [InlineData("öztürk")]
    public async Task Student_search_finds_a_name_with_an_umlaut(string search)
    {
        var result = await data.ListStudentsAsync(new StudentListQuery(search, 0, 25));

        Assert.Equal(["Jürgen"], result.Items.Select(s => s.FirstName));
    }

    [Theory]
    [InlineData("nicolo")]
    [InlineData("NICOLÒ")]
    public async Task Student_search_uses_the_same_folding_as_the_lead_list(string search)
    {
        var result = await data.ListStudentsAsync(new StudentListQuery(search, 0, 25));

        Assert.Equal([("Nicolò", "Bassi")], result.Items.Select(s => (s.FirstName, s.LastName)));
    }

    [Fact]
    public async Task Sorting_students_by_name_puts_oe_with_o()
    {
        var result = await data.ListStudentsAsync(new StudentListQuery("studenti.test", 0, 25));

        Assert.Equal(["Bassi", "Oberhuber", "Öztürk", "zander"], result.Items.Select(s => s.LastName));
    }

    public sealed class Names : IAsyncLifetime
    {
        private readonly CrmAppFactory app = new();
        private AppUser admin = default!;

        public async Task InitializeAsync()
        {
            admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
            var services = app.Services;
            Task<Lead> Lead(string first, string last, string? email = null, string? city = null) =>
                services.AddLeadAsync(new PersonDetails { FirstName = first, LastName = last, Email = email, City = city, CaptureDate = new DateOnly(2026, 11, 1) }, admin.Id);

            await Lead("Lukas", "Müller", "lukas.müller@example.de");
            await Lead("Hans", "MÜLLER");
            await Lead("Petra", "Muller");
            await Lead("Mila", "Mull");
            await Lead("Nicolò", "Ferri");
            await Lead("Nicola", "Ferrara");

            await Lead("Zoë", "Bauer", city: "Zürich");
            await Lead("Ömer", "Bauer", city: "Überlingen");
            await Lead("Élodie", "Bauer", city: "Empoli");
            await Lead("anna", "Bauer", city: "ancona");
            await Lead("Oscar", "Bauer", city: "Ulm");
            await Lead("Emil", "Bauer", city: "zug");

            await StudentAsync("Nicolò", "Bassi");
            await StudentAsync("Jürgen", "Öztürk");
            await StudentAsync("Oskar", "Oberhuber");
            await StudentAsync("Ella", "zander");
        }

        public async Task<LeadListResult> ListLeadsAsync(LeadListQuery query)
        {
            await using var scope = app.Services.CreateScopeAs(admin, isAdmin: true);
            return await scope.ServiceProvider.GetRequiredService<LeadListService>().GetPageAsync(query);
        }

        public async Task<StudentListPage> ListStudentsAsync(StudentListQuery query)
        {
            await using var scope = app.Services.CreateScopeAs(admin, isAdmin: true);
            return await scope.ServiceProvider.GetRequiredService<StudentService>().ListAsync(query);
        }

        public async Task DisposeAsync() => await app.DisposeAsync();

        private async Task StudentAsync(string first, string last)
        {
            var email = $"{first}.{last}@studenti.test".ToLowerInvariant();
            var lead = await app.Services.AddLeadAsync(new PersonDetails { FirstName = first, LastName = last, Email = email, CaptureDate = new DateOnly(2026, 1, 1) }, admin.Id);
            await using var scope = app.Services.CreateScopeAs(admin, isAdmin: true);
            await scope.ServiceProvider.GetRequiredService<LeadConversionService>().ConvertAsync(lead.Id, enrolmentDate: new DateOnly(2026, 9, 1));
        }
    }
}
