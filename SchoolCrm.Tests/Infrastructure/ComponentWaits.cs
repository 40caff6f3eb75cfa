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
