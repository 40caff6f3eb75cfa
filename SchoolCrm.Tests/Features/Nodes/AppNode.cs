using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Notifications;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Tests.Features.Nodes;

/// <summary>
/// The Redis server of the tests of several nodes: started by scripts/test-redis.sh (test.sh runs every test inside
/// it), which passes its address as SCHOOLCRM_TEST_REDIS. These tests are never skipped: without it they fail, saying so.
/// </summary>
internal static class TestRedis
{
    public const string Variable = "SCHOOLCRM_TEST_REDIS";

    public static string Address =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } address
            ? address
            : throw new InvalidOperationException(
                $"{Variable} is not set: these tests need a Redis server. Run them through ./test.sh, or " +
                $"scripts/test-redis.sh dotnet test SchoolCrm.Tests --filter ..., which starts a throw-away redis-server.");
}

/// <summary>
/// One app node on Kestrel at 127.0.0.1, as a second (or third) machine would run it: its own data folder (so nothing
/// is shared through files), the first node's database file, the test Redis as backplane, and a clock shared by all
/// nodes of a test (so a reminder falls due on every node at once).
/// </summary>
internal sealed class AppNode : CrmAppFactory
{
    public const string Password = "Test-Pass-1234!";

    public static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private AppNode(FakeTimeProvider time, string? connectionString, string redisChannel, IReadOnlyDictionary<string, string?>? extra = null)
    {
        Time = time;
        RedisChannel = redisChannel;
        Extra = extra ?? new Dictionary<string, string?>();
        WithSetting("School:TimeZone", "Europe/Rome");
        WithSetting(SeveralNodes.RedisSetting, TestRedis.Address + ",channelPrefix=" + redisChannel);
        // The worker polls rarely: the test drives delivery, so what happens is decided by claims, not by timing.
        WithSetting("Reminders:PollSeconds", "3600");
        WithSetting(CrmNode.Setting, NodeName);
        if (connectionString is not null)
        {
            WithSetting("ConnectionStrings:Crm", connectionString);
        }

        WithSettings(Extra);
        UseLoopbackKestrel();
    }

    public FakeTimeProvider Time { get; }

    private string RedisChannel { get; }

    /// <summary>Settings every node of the test has (e.g. one <c>School:SharedFolder</c>).</summary>
    private IReadOnlyDictionary<string, string?> Extra { get; }

    /// <summary>This node's <c>School:NodeName</c>: the nodes of a test run on one machine.</summary>
    public string NodeName { get; } = "node-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Another node on this node's database, started (a restarted one when given that node's name).</summary>
    public AppNode StartAnother(string? name = null)
    {
        var node = new AppNode(Time, Settings["ConnectionStrings:Crm"], RedisChannel, Extra);
        if (name is not null)
        {
            node.WithSetting(CrmNode.Setting, name);
        }

        _ = node.ServerAddress;
        return node;
    }

    /// <summary>
    /// <paramref name="count"/> started nodes on one database; the first owns the file. Each test gets its own Redis
    /// channel prefix, so tests running in parallel on one Redis never hear each other. <paramref name="settings"/>
    /// go to every node.
    /// </summary>
    public static List<AppNode> StartMany(int count, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(Start);
        var channel = "test-" + Guid.NewGuid().ToString("N");
        var first = new AppNode(time, null, channel, settings);
        var nodes = new List<AppNode> { first };
        _ = first.ServerAddress;
        for (var i = 1; i < count; i++)
        {
            var node = new AppNode(time, first.ConnectionString, channel, settings);
            _ = node.ServerAddress;
            nodes.Add(node);
        }

        return nodes;
    }

    /// <summary>A browser-like client of this node: cookies kept, redirects not followed.</summary>
    public HttpClient NewBrowser(CookieContainer cookies) =>
        new(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(ServerAddress) };

    /// <summary>Signs in through this node's form and returns the sign-in cookie as a Cookie header value.</summary>
    public async Task<string> SignInCookieAsync(string email)
    {
        var cookies = new CookieContainer();
        using var client = NewBrowser(cookies);
        using var response = await SignIn.PostLoginFormAsync(client, email, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var auth = cookies.GetCookies(new Uri(ServerAddress)).Single(c => c.Name == "SchoolCrm.Auth");
        return $"{auth.Name}={auth.Value}";
    }

    /// <summary>A SignalR .NET client of this node's hub over WebSockets, carrying the cookie.</summary>
    public HubConnection Hub(string cookie) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(new Uri(ServerAddress), NotificationHub.Path), options => options.Headers["Cookie"] = cookie)
            .Build();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}
