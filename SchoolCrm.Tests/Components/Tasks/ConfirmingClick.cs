using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace SchoolCrm.Tests.Components.Tasks;

/// <summary>A click on a button that asks "are you sure?" in a message box, answered yes.</summary>
internal static class ConfirmingClick
{
    /// <summary>
    /// Clicks <paramref name="selector"/>, runs <paramref name="whileAsking"/> while the question is open (nothing may
    /// have happened yet), answers yes and waits until the click's handler has finished.
    /// </summary>
    public static async Task ClickAndConfirmAsync<TComponent>(
        this IRenderedComponent<TComponent> page, IRenderedComponent<MudDialogProvider> dialogs, string selector, Func<Task>? whileAsking = null)
        where TComponent : IComponent
    {
        var clicking = page.WaitForElement(selector).ClickAsync(new());
        var yes = dialogs.WaitForElement(".mud-message-box__yes-button");
        if (whileAsking is not null)
        {
            await whileAsking();
        }

        await yes.ClickAsync(new());
        await clicking;
    }
}
