using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SchoolCrm.Tests.Infrastructure;

/// <summary>The real app with extra interceptors on its database contexts (a <see cref="RaceGate"/>'s).</summary>
public sealed class GatedApp : CrmAppFactory
{
    private readonly IReadOnlyList<IInterceptor> interceptors;

    /// <param name="interceptors">Made from this app (its <see cref="CrmAppFactory.ConnectionString"/> is known by then).</param>
    public GatedApp(Func<GatedApp, IReadOnlyList<IInterceptor>> interceptors)
    {
        ArgumentNullException.ThrowIfNull(interceptors);
        this.interceptors = interceptors(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.ConfigureCrmDbContext(options => options.AddInterceptors(interceptors)));
    }
}
