using System.Runtime.CompilerServices;
using Bunit;

namespace SchoolCrm.Tests.Infrastructure;

/// <summary>
/// bUnit's WaitFor... checks wait up to one second by default. Component tests over the real app load from the
/// database, which on PostgreSQL and on a busy 2-core machine can take longer than that: a check that waits for a
/// state must not fail because the machine is slow. A passing check still returns as soon as the state is there.
/// </summary>
internal static class ComponentWaits
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

#pragma warning disable CA2255 // A module initializer is the one place that runs before any test of the assembly.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void UseLongerWaits() => BunitContext.DefaultWaitTimeout = Timeout;
}

/// <summary>
/// bUnit's <c>Click()</c> starts the click and drops its task: a click on an element of an earlier render, whose event
/// handler the renderer has since replaced, fails inside that task and is lost without a word. A page that renders
/// again by itself (data arriving in the background) can do that between the <c>Find</c> and the click. This click
/// waits for the handler and, when the element was stale, finds it again in the current render and clicks that.
/// </summary>
internal static class ComponentClicks
{
    public static Task ClickAsync<TComponent>(this IRenderedComponent<TComponent> component, string selector)
        where TComponent : Microsoft.AspNetCore.Components.IComponent
    {
        ArgumentNullException.ThrowIfNull(component);
        return component.ClickAsync(() => component.Find(selector));
    }

    /// <summary>The same for an element that no one selector names: <paramref name="find"/> looks it up in the current render.</summary>
    public static async Task ClickAsync<TComponent>(this IRenderedComponent<TComponent> component, Func<AngleSharp.Dom.IElement> find)
        where TComponent : Microsoft.AspNetCore.Components.IComponent
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(find);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await find().ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
                return;
            }
            catch (Bunit.Rendering.UnknownEventHandlerIdException) when (attempt < 10)
            {
                // The element was from a render before the current one: look again.
            }
        }
    }
}
