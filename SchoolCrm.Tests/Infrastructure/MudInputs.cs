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
}
