namespace Paas.Cli;

/// <summary>
/// An expected failure: its message is written for the user and shown as <c>Error: message</c>
/// without a stack trace. Everything a command can reasonably run into becomes one of these.
/// </summary>
public class CliException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>The controller answered with an error status; the message is already rendered for the user.</summary>
public sealed class ControllerException(int status, string message) : CliException(message)
{
    public int Status { get; } = status;
}

/// <summary>The one place where failures become messages on stderr and exit codes.</summary>
public static class ErrorReporter
{
    public const int Success = 0;
    public const int Failure = 1;

    public static int Report(Exception exception, CliEnvironment environment)
    {
        switch (exception)
        {
            case CliException expected:
                environment.Error.WriteLine($"Error: {expected.Message}");
                break;
            case OperationCanceledException:
                environment.Error.WriteLine("Error: cancelled");
                break;
            default:
                // A bug in the CLI: keep it to one line unless the user asks for the details.
                environment.Error.WriteLine($"Error: {exception.Message} ({exception.GetType().Name}; set PAAS_DEBUG=1 for details)");
                if (environment.Variable("PAAS_DEBUG") is not null)
                {
                    environment.Error.WriteLine(exception.ToString());
                }

                break;
        }

        return Failure;
    }
}
