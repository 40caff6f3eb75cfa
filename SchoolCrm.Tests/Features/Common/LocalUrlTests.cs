using SchoolCrm.Web.Features.Common;

namespace SchoolCrm.Tests.Features.Common;

public sealed class LocalUrlTests
{
    [Theory]
    [InlineData("/leads?page=2&sort=LastName")]
    [InlineData("/")]
    [InlineData("/leads/7/edit")]
    public void A_path_of_this_site_is_followed(string returnUrl)
    {
        Assert.Equal(returnUrl, LocalUrl.Or(returnUrl, "/fallback"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("//evil.example")]
    [InlineData("//evil.example/leads")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("http://evil.example/")]
    [InlineData("https://evil.example/leads")]
    [InlineData("HTTPS://evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    [InlineData("~//evil.example")]
    [InlineData("~/leads")]
    [InlineData("/leads\r\nSet-Cookie: x=1")]
    [InlineData("/\t/evil.example")]
    public void Anything_else_gives_the_fallback(string? returnUrl)
    {
        Assert.Equal("/fallback", LocalUrl.Or(returnUrl, "/fallback"));
    }
}
