using System.Text.Json;
using Paas.Cli.Api;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Paas.Cli;

/// <summary>
/// What commands print: plain lines and Deis's <c>=== Title</c> headers, tables and aligned
/// fields for people (Spectre.Console), indented JSON for scripts (<c>--json</c>), warnings on
/// stderr, and prompts when a person is at the terminal.
/// </summary>
public sealed class Output
{
    private readonly CliEnvironment environment;
    private readonly Lazy<IAnsiConsole> console;

    // Notices that arrive while a "Doing something... " line waits for its outcome are shown after it.
    private readonly List<string> heldNotices = [];
    private bool stepInProgress;

    public Output(CliEnvironment environment)
    {
        this.environment = environment;
        console = new Lazy<IAnsiConsole>(CreateConsole);
    }

    public void Line(string text = "") => environment.Out.WriteLine(text);

    public void Header(string title) => Line($"=== {title}");

    public void Warning(string text) => environment.Error.WriteLine($"Warning: {text}");

    /// <summary>Something the controller wants the user to know (<c>X-Paas-Notice</c>), on stderr.</summary>
    public void Notice(string text)
    {
        if (stepInProgress)
        {
            heldNotices.Add(text);
            return;
        }

        environment.Error.WriteLine($"Note: {text}");
    }

    /// <summary>Text as it arrives (a process's output, log lines), flushed so that it shows at once.</summary>
    public async Task StreamAsync(string text)
    {
        await environment.Out.WriteAsync(text);
        await environment.Out.FlushAsync();
    }

    public void Json<T>(T value) => Line(JsonSerializer.Serialize(value, ApiJson.Indented));

    /// <summary>Columns separated by two spaces, no borders, so that the lines also read well in a pipe.</summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table().Border(TableBorder.None).ShowHeaders();
        for (var i = 0; i < headers.Count; i++)
        {
            var last = i == headers.Count - 1;
            table.AddColumn(new TableColumn(new Text(headers[i], new Style(decoration: Decoration.Bold)))
            {
                Padding = new Padding(0, 0, last ? 0 : 2, 0),
                NoWrap = !last,
            });
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell)).ToArray());
        }

        Write(table);
    }

    /// <summary>
    /// <c>KEY  value</c> lines with the values aligned (config vars, limits); a value that spans
    /// lines is printed as it is.
    /// </summary>
    public void Pairs(IEnumerable<(string Name, string? Value)> pairs)
    {
        var list = pairs.ToList();
        var width = list.Count == 0 ? 0 : list.Max(pair => pair.Name.Length);
        foreach (var (name, value) in list)
        {
            Line(string.IsNullOrEmpty(value) ? name : $"{name.PadRight(width)}  {value}");
        }
    }

    /// <summary><c>name:  value</c> lines with the values aligned.</summary>
    public void Fields(IEnumerable<(string Name, string? Value)> fields)
    {
        var list = fields.ToList();
        var width = list.Count == 0 ? 0 : list.Max(field => field.Name.Length) + 1;
        foreach (var (name, value) in list)
        {
            Line($"{(name + ":").PadRight(width)}  {value ?? ""}".TrimEnd());
        }
    }

    /// <summary>
    /// Heroku's <c>Doing something... done</c>: the first half before the work, so a slow request
    /// shows what it waits for, the outcome after it.
    /// </summary>
    public async Task<T> StepAsync<T>(string what, Func<Task<T>> work, Func<T, string> done)
    {
        environment.Out.Write($"{what}... ");
        environment.Out.Flush();
        T result;
        stepInProgress = true;
        try
        {
            result = await work();
        }
        catch
        {
            EndStep("failed");
            throw;
        }

        EndStep(done(result));
        return result;
    }

    public Task StepAsync(string what, Func<Task> work) =>
        StepAsync(what, async () => { await work(); return true; }, _ => "done");

    private void EndStep(string outcome)
    {
        Line(outcome);
        stepInProgress = false;
        foreach (var text in heldNotices)
        {
            Notice(text);
        }

        heldNotices.Clear();
    }

    /// <summary>
    /// A yes/no question for the person at the terminal (the caller makes sure there is one);
    /// only <c>y</c> or <c>yes</c> is a yes.
    /// </summary>
    public bool Confirm(string question) =>
        Ask($"{question} (y/N)", allowEmpty: true).Trim().ToUpperInvariant() is "Y" or "YES";

    /// <summary>Asks the person at the terminal; the caller makes sure there is one.</summary>
    public string Ask(string question, bool secret = false, bool allowEmpty = false)
    {
        var prompt = new TextPrompt<string>(question);
        if (secret)
        {
            prompt.Secret();
        }

        if (allowEmpty)
        {
            prompt.AllowEmpty();
        }

        return console.Value.Prompt(prompt);
    }

    private void Write(IRenderable renderable)
    {
        if (environment.IsOutputTerminal)
        {
            console.Value.Write(renderable);
            return;
        }

        // Into a pipe or a file: without the spaces Spectre pads the last column with.
        using var buffer = new StringWriter();
        CreateConsole(buffer).Write(renderable);
        foreach (var line in buffer.ToString().Split('\n'))
        {
            if (line.Length > 0)
            {
                Line(line.TrimEnd());
            }
        }
    }

    private IAnsiConsole CreateConsole() => CreateConsole(environment.Out);

    private IAnsiConsole CreateConsole(TextWriter writer)
    {
        var created = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = environment.IsOutputTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = environment.IsOutputTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = environment.IsInputTerminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!environment.IsOutputTerminal)
        {
            // Into a pipe or a file, long summaries stay on one line rather than wrap at 80 columns.
            created.Profile.Width = 4096;
        }

        return created;
    }
}
