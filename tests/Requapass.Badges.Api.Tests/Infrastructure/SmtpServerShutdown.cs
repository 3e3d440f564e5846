using Requapass.Badges.Api.Tests.Infrastructure;

// The root namespace of the test assembly: this tear-down runs once, after every fixture.
namespace Requapass.Badges.Api.Tests;

/// <summary>Stops the run's SMTP server, if a test started it, once every fixture is done.</summary>
[SetUpFixture]
public sealed class SmtpServerShutdown
{
    [OneTimeTearDown]
    public Task Stop() => SmtpServer.StopSharedAsync();
}
