using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor.Services;
using SchoolCrm.Web.Components.Layout;

namespace SchoolCrm.Tests.Components.Layout;

public sealed class CrmErrorBoundaryTests : IAsyncLifetime
{
    private readonly BunitContext context = new();
    private readonly CapturingLoggerProvider logs = new();

    public Task InitializeAsync()
    {
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.Services.AddLocalization();
        context.Services.AddLogging(b => b.AddProvider(logs));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public void An_unexpected_error_shows_a_plain_message_with_the_reference_that_is_in_the_log()
    {
        var cut = context.Render<CrmErrorBoundary>(p => p.AddChildContent<Thrower>());

        var message = cut.Find("#error-boundary").TextContent;
        var logged = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.NotNull(logged.Exception);
        var reference = logged.Reference;
        Assert.False(string.IsNullOrEmpty(reference));
        Assert.Contains(reference, message, StringComparison.Ordinal);
        Assert.DoesNotContain("Boom", message, StringComparison.Ordinal);
    }

    private sealed class Thrower : ComponentBase
    {
        protected override void OnInitialized() => throw new InvalidOperationException("Boom: a bug");
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public List<(LogLevel Level, Exception? Exception, string? Reference)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var reference = (state as IEnumerable<KeyValuePair<string, object?>>)?
                    .FirstOrDefault(kv => kv.Key == "ErrorReference").Value as string;
                lock (owner.Entries)
                {
                    owner.Entries.Add((logLevel, exception, reference));
                }
            }
        }
    }
}
