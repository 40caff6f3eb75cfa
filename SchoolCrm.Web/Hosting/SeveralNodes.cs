using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Web.Data;
using StackExchange.Redis;

namespace SchoolCrm.Web.Hosting;

/// <summary>
/// The name of this app node (<c>School:NodeName</c>, else the machine's name): stable across its restarts, different
/// from every other node's. Two nodes on one machine must each set their own.
/// </summary>
public sealed record CrmNode(string Name)
{
    public const string Setting = "School:NodeName";

    public const int NameMaxLength = 100;

    /// <summary>The shadow column on LeadImports that names the node an import belongs to.</summary>
    public const string ImportNodeProperty = "Node";

    public static CrmNode From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var name = configuration[Setting] is { Length: > 0 } configured ? configured.Trim() : Environment.MachineName;
        return new CrmNode(name.Length > NameMaxLength ? name[..NameMaxLength] : name);
    }
}

/// <summary>
/// What several app nodes behind one proxy must share, and nothing home-made: the Data Protection keys live in the
/// database (so a cookie issued by one node is accepted by every other, and by the same node after a restart), and
/// with <c>Redis:Configuration</c> set, SignalR's Redis backplane carries hub messages between nodes (a task assigned
/// through node A pops up in a browser connected to node B). Blazor Server circuits stay on the node that holds them:
/// the proxy needs sticky sessions (README, docs/nginx-two-nodes.conf). One Redis connection per node (<see cref="CrmRedis"/>)
/// carries both the backplane and the nodes' own messages.
/// </summary>
public static class SeveralNodes
{
    /// <summary>The setting that switches the Redis backplane on: a StackExchange.Redis configuration string.</summary>
    public const string RedisSetting = "Redis:Configuration";

    /// <summary>The Redis channel prefix of the hub messages unless the setting names one (<c>channelPrefix=</c>).</summary>
    public const string RedisChannelPrefix = "SchoolCrm";

    public static ISignalRServerBuilder AddCrmBackplane(this ISignalRServerBuilder signalR, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(signalR);
        ArgumentNullException.ThrowIfNull(configuration);
        var setting = configuration[RedisSetting];
        if (string.IsNullOrWhiteSpace(setting))
        {
            // One node: hub messages never leave the process.
            return signalR;
        }

        // Made by the container so that it disposes the connection, after every hub's lifetime manager (which needed
        // it first): the container disposes in the reverse order of creation.
        signalR.Services.AddSingleton(_ => new CrmRedis(setting));
        signalR.AddStackExchangeRedis();
        signalR.Services.AddOptions<RedisOptions>().Configure<CrmRedis>((options, redis) =>
        {
            // The backplane uses the node's one Redis connection, which also carries the node's own messages.
            options.Configuration = redis.Options;
            options.ConnectionFactory = async log => SharedRedisConnection.For(await redis.ConnectAsync(log));
        });
        return signalR;
    }

    /// <summary>Data Protection keys in the database, shared by every node.</summary>
    public static IDataProtectionBuilder PersistKeysToCrmDatabase(this IDataProtectionBuilder builder) =>
        builder.PersistKeysToDbContext<CrmDbContext>();

    /// <summary>
    /// Until this version the keys were files under <c>School:DataFolder/keys</c>. At the first start with keys in the
    /// database, those files are copied in once (the same XML the file store held), so an upgrade signs nobody out.
    /// Runs after the migrations, before the first request could create a new key.
    /// </summary>
    public static async Task ImportKeyFilesAsync(IServiceProvider services, string dataFolder)
    {
        var folder = new DirectoryInfo(Path.Combine(dataFolder, "keys"));
        if (!folder.Exists)
        {
            return;
        }

        var files = folder.GetFiles("key-*.xml");
        if (files.Length == 0)
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var dbFactory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var known = await db.DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync();
        foreach (var file in files.Where(f => !known.Contains(Path.GetFileNameWithoutExtension(f.Name))))
        {
            db.DataProtectionKeys.Add(new DataProtectionKey
            {
                FriendlyName = Path.GetFileNameWithoutExtension(file.Name),
                Xml = await File.ReadAllTextAsync(file.FullName),
            });
        }

        await db.SaveChangesAsync();
    }
}

/// <summary>
/// This node's one connection to Redis (<c>Redis:Configuration</c>), registered only when that is set: SignalR's
/// backplane and the node's own messages to the other nodes (e.g. "close this user's connections") share it, as
/// StackExchange.Redis means a multiplexer to be shared. Every channel carries the prefix (<c>channelPrefix=</c> in the
/// setting, else <see cref="SeveralNodes.RedisChannelPrefix"/>), so two schools on one Redis never hear each other.
/// </summary>
public sealed class CrmRedis : IDisposable, IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private ConnectionMultiplexer? connection;

    public CrmRedis(string setting)
    {
        Options = ConfigurationOptions.Parse(setting);
        if (Options.ChannelPrefix.IsNullOrEmpty)
        {
            Options.ChannelPrefix = RedisChannel.Literal(SeveralNodes.RedisChannelPrefix);
        }

        // A node starts while Redis is away and keeps trying (the backplane's own default), rather than failing.
        Options.AbortOnConnectFail = false;
    }

    public ConfigurationOptions Options { get; }

    /// <summary>The connection, opened at the first call (a failed attempt is tried again at the next call).</summary>
    public async Task<IConnectionMultiplexer> ConnectAsync(TextWriter? log = null)
    {
        await gate.WaitAsync();
        try
        {
            return connection ??= await ConnectionMultiplexer.ConnectAsync(Options, log);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        connection?.Dispose();
        gate.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        gate.Dispose();
    }
}

/// <summary>
/// The backplane's view of the node's shared Redis connection: every call goes to the connection, except closing and
/// disposing, which do nothing. Each hub's lifetime manager disposes "its" connection when it stops, and the next one
/// then unsubscribed on a disposed connection (ObjectDisposedException at shutdown); the connection belongs to
/// <see cref="CrmRedis"/>. A <see cref="DispatchProxy"/> because the interface has some hundred members; the backplane
/// asks it for its subscriber once, when it connects, so hub messages never pass through the proxy's reflection.
/// </summary>
public class SharedRedisConnection : DispatchProxy
{
    private IConnectionMultiplexer connection = null!;

    public static IConnectionMultiplexer For(IConnectionMultiplexer connection)
    {
        var proxy = Create<IConnectionMultiplexer, SharedRedisConnection>();
        ((SharedRedisConnection)(object)proxy).connection = connection;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        switch (targetMethod.Name)
        {
            case nameof(IDisposable.Dispose) or nameof(IConnectionMultiplexer.Close):
                return null;
            case nameof(IAsyncDisposable.DisposeAsync):
                return ValueTask.CompletedTask;
            case nameof(IConnectionMultiplexer.CloseAsync):
                return Task.CompletedTask;
        }

        try
        {
            return targetMethod.Invoke(connection, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
