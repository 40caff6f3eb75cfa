using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Tests.Domain.Leads;

public class EmailAddressTests
{
    [Theory]
    [InlineData("a@b.de")]
    [InlineData("mario.rossi@scuola.it")]
    [InlineData("anna+newsletter@mail.example.com")]
    [InlineData("o'brien@example.ie")]
    [InlineData("MÜLLER@müller.de")]
    public void Plausible_addresses_are_valid(string email)
    {
        Assert.True(EmailAddress.IsValid(email));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a@b")]
    [InlineData("a b@c.de")]
    [InlineData("ab@c .de")]
    [InlineData(" a@b.de")]
    [InlineData("@x.de")]
    [InlineData("a@")]
    [InlineData("a@@b.de")]
    [InlineData("a@b@c.de")]
    [InlineData("a@.de")]
    [InlineData("a@b.de.")]
    [InlineData("a@b..de")]
    [InlineData("mario.rossi")]
    public void Obvious_junk_is_invalid(string? email)
    {
        Assert.False(EmailAddress.IsValid(email));
    }

    [Fact]
    public void Address_of_254_characters_is_valid()
    {
        string email = new string('a', 64) + "@" + new string('b', 185) + ".com";

        Assert.Equal(254, email.Length);
        Assert.True(EmailAddress.IsValid(email));
    }

    [Fact]
    public void Address_longer_than_254_characters_is_invalid()
    {
        string email = new string('a', 64) + "@" + new string('b', 186) + ".com";

        Assert.False(EmailAddress.IsValid(email));
    }
}
