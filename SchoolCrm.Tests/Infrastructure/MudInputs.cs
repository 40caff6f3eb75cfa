using Microsoft.Playwright;

namespace SchoolCrm.Tests.Infrastructure;

/// <summary>Drives MudBlazor inputs in the browser the way a person does.</summary>
public static class MudInputs
{
    /// <summary>Opens a MudSelect by its input id and picks the option with that text; returns once the list has closed.</summary>
    public static async Task ChooseAsync(IPage page, string selector, string option)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.ClickAsync(selector);
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Listbox)).ToHaveCountAsync(0);
    }

    /// <summary>Opens a multiple MudSelect by its input id, ticks the options with these texts and closes it again.</summary>
    public static async Task ChooseSeveralAsync(IPage page, string selector, params string[] options)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(options);
        await page.ClickAsync(selector);
        foreach (var option in options)
        {
            await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        }

        await PressEscapeUntilGoneAsync(page, page.GetByRole(AriaRole.Listbox));
    }

    /// <summary>
    /// Closes an open MudBlazor popup (a picker's calendar, a multiple select's list) with Escape. MudBlazor listens
    /// for Escape once its key handler is attached, which happens after the popup shows; on a loaded machine the
    /// first Escape can come before that. So press again until the popup is gone (a state, not a time).
    /// </summary>
    public static async Task PressEscapeUntilGoneAsync(IPage page, ILocator popup)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(popup);
        for (var attempt = 0; attempt < 10 && await popup.CountAsync() > 0; attempt++)
        {
            await page.Keyboard.PressAsync("Escape");
            try
            {
                await Assertions.Expect(popup).ToHaveCountAsync(0, new() { Timeout = 1000 });
            }
            catch (PlaywrightException)
            {
                // Still open: the handler was not listening yet.
            }
        }

        await Assertions.Expect(popup).ToHaveCountAsync(0);
    }
}
