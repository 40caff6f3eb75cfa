using Bunit;
using Microsoft.AspNetCore.Components;
using SchoolCrm.Web.Features.Common;

namespace SchoolCrm.Tests.Components.Common;

/// <summary>The token every page hands to its reads: cancelled when the page goes away, not before.</summary>
public sealed class CancellableComponentTests : IAsyncDisposable
{
    private readonly BunitContext ctx = new();

    [Fact]
    public async Task A_read_still_running_when_its_component_goes_away_is_cancelled()
    {
        var read = new TaskCompletionSource();
        var page = ctx.Render<SlowReader>(p => p.Add(x => x.Read, read.Task));
        var token = page.Instance.Token;
        var stopped = page.Instance.Stopped;
        Assert.False(token.IsCancellationRequested);
        Assert.False(stopped.IsCompleted);

        await ctx.DisposeComponentsAsync();

        Assert.True(token.IsCancellationRequested);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopped);
    }

    public async ValueTask DisposeAsync() => await ctx.DisposeAsync();

    /// <summary>A page whose first read waits until its token says stop (as EF Core does).</summary>
    private sealed class SlowReader : CancellableComponent
    {
        [Parameter]
        public Task Read { get; set; } = Task.CompletedTask;

        public CancellationToken Token => Disposed;

        public Task Stopped { get; private set; } = Task.CompletedTask;

        protected override Task OnInitializedAsync()
        {
            Stopped = Read.WaitAsync(Disposed);
            return Stopped;
        }
    }
}
