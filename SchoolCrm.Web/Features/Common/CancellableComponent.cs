using Microsoft.AspNetCore.Components;

namespace SchoolCrm.Web.Features.Common;

/// <summary>
/// A component whose reads stop when it goes away: the user navigated on, a dialog closed, the circuit ended.
/// Pass <see cref="Disposed"/> to every service read; a read still running then stops instead of keeping a
/// connection busy for a page nobody sees. Blazor ignores the cancelled task of a disposed component
/// (<see cref="ComponentBase"/> does not rethrow a cancelled lifecycle or event task), so nothing else is needed.
/// Saves do not take it: a save the user started should finish even if they leave the page.
/// </summary>
public abstract class CancellableComponent : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource disposal = new();
    private bool isDisposed;

    // Read once here: the token stays usable (and cancelled) after the source is disposed, the source's Token
    // property does not, and a read may still ask for it after the component went away.
    protected CancellableComponent() => Disposed = disposal.Token;

    /// <summary>Cancelled when the component is disposed.</summary>
    protected CancellationToken Disposed { get; }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Components with more to release override this and call the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (isDisposed)
        {
            return;
        }

        isDisposed = true;
        if (disposing)
        {
            disposal.Cancel();
            disposal.Dispose();
        }
    }
}
