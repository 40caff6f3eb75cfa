namespace SchoolCrm.Tests.Infrastructure;

/// <summary>The app with a one-second busy timeout, for tests that hold the write lock (<see cref="WriteLock"/>).</summary>
public sealed class ShortBusyTimeoutApp : CrmAppFactory
{
    public ShortBusyTimeoutApp() => WithSettings([WriteLock.ShortBusyTimeout]);
}

/// <summary>The browser tests' server with a one-second busy timeout (see <see cref="ShortBusyTimeoutApp"/>).</summary>
public sealed class ShortBusyTimeoutServer : CrmServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [WriteLock.ShortBusyTimeout];
}
