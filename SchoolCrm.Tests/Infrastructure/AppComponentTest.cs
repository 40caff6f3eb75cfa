using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Tests.Infrastructure;

/// <summary>
/// bUnit over the app's real services and real SQLite database (one <typeparamref name="TApp"/> per test class),
/// rendering as a signed-in user with MudBlazor's popover and snackbar providers in place.
/// </summary>
public abstract class AppComponentTest<TApp> : IClassFixture<TApp>, IAsyncLifetime
    where TApp : CrmAppFactory
{
    protected AppComponentTest(TApp app)
    {
        App = app;
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        Ctx.Services.AddMudServices();
        Ctx.Services.AddLocalization();
        Ctx.Services.AddLogging();
        Ctx.Services.AddSingleton(app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>());
        Ctx.Services.AddSingleton(app.Services.GetRequiredService<SchoolClock>());
        Ctx.Services.AddScoped<CurrentUser>();

        // Services read their settings (e.g. the lead page's task list, TaskOptions) from the app's configuration.
        Ctx.Services.AddSingleton(app.Services.GetRequiredService<IConfiguration>());
        // TaskService notifies through the hub context, as in the app.
        Ctx.Services.AddSignalR();
        Ctx.Services.AddCrmFeatures();
        // The e-mail of a notification is written by the app's composer and sent by the app's own outbox worker.
        Ctx.Services.AddSingleton(app.Services.GetRequiredService<SchoolCrm.Web.Features.Email.EmailComposer>());
        Ctx.Services.AddSingleton(app.Services.GetRequiredService<SchoolCrm.Web.Features.Email.EmailOutboxWorker>());
    }

    protected TApp App { get; }

    protected BunitContext Ctx { get; } = new();

    /// <summary>Where open menus and selects render their items (rendered by <see cref="RenderAs{TComponent}"/>).</summary>
    protected IRenderedComponent<MudPopoverProvider>? Popovers { get; private set; }

    /// <summary>The snackbar messages shown so far (rendered by <see cref="RenderAs{TComponent}"/>).</summary>
    protected IRenderedComponent<MudSnackbarProvider>? Snackbars { get; private set; }

    /// <summary>
    /// Renders <typeparamref name="TComponent"/> interactively as <paramref name="user"/>, at <paramref name="address"/>
    /// if given (where a page reads its <c>[SupplyParameterFromQuery]</c> parameters, which bUnit takes only from there).
    /// </summary>
    protected IRenderedComponent<TComponent> RenderAs<TComponent>(
        AppUser user, bool isAdmin, Action<ComponentParameterCollectionBuilder<TComponent>>? parameters = null, string? address = null)
        where TComponent : IComponent
    {
        ArgumentNullException.ThrowIfNull(user);
        var auth = Ctx.AddAuthorization();
        auth.SetAuthorized(user.UserName!);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
        auth.SetRoles(isAdmin ? Roles.Admin : Roles.Operator);
        auth.SetAuthenticationType("Test");
        Ctx.SetRendererInfo(new RendererInfo("Server", true));
        Popovers = Ctx.Render<MudPopoverProvider>();
        Snackbars = Ctx.Render<MudSnackbarProvider>();
        if (address is not null)
        {
            Ctx.Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        }

        return Ctx.Render(parameters ?? (_ => { }));
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync() => await Ctx.DisposeAsync();
}
