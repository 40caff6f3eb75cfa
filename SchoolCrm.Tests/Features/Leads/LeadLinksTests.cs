using System.Xml.Linq;
using SchoolCrm.Tests.Hosting;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Domain.Leads.Fields;

namespace SchoolCrm.Tests.Features.Leads;

public sealed class LeadLinksTests
{
    [Theory]
    [InlineData("/leads?page=2&sort=LastName", "/leads?page=2&sort=LastName")]
    [InlineData("/leads", "/leads")]
    [InlineData(null, "/leads")]
    [InlineData("", "/leads")]
    [InlineData("https://evil.example/leads", "/leads")]
    [InlineData("//evil.example/leads", "/leads")]
    [InlineData("/\\evil.example", "/leads")]
    [InlineData("javascript:alert(1)", "/leads")]
    [InlineData("/leads\r\nSet-Cookie: x", "/leads")]
    public void Back_to_list_follows_only_local_paths(string? returnUrl, string expected)
    {
        Assert.Equal(expected, LeadLinks.SafeReturnUrl(returnUrl));
    }

    [Fact]
    public void Links_to_a_lead_carry_the_list_state_along()
    {
        Assert.Equal("/leads/7?returnUrl=%2Fleads%3Fpage%3D2", LeadLinks.Lead(7, "/leads?page=2"));
        Assert.Equal("/leads/7/edit", LeadLinks.Edit(7));
        Assert.Equal("/leads/7?returnUrl=%2Fleads", LeadLinks.Lead(7, "https://evil.example"));
    }

    [Theory]
    [InlineData("LeadsText.resx")]
    [InlineData("LeadsText.de.resx")]
    public void Every_standard_field_has_a_label(string file)
    {
        var path = Path.Combine(ResourceFilesTests.RepositoryRoot(), "SchoolCrm.Web", "Features", "Leads", file);
        var keys = XDocument.Load(path).Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet();

        Assert.All(LeadFields.Standard, field => Assert.Contains(field.LabelKey!, keys));
        Assert.Contains("Gender_NotGiven", keys);
    }
}
