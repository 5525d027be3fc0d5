using System.Text;

namespace Paas.Cli;

/// <summary>
/// <c>.env</c> files as <c>config:pull</c> writes them and <c>config:push</c> reads them.
/// Reads what dotenv tools commonly accept: <c># comments</c>, blank lines, an <c>export </c>
/// prefix, unquoted values (trailing whitespace and a <c> # comment</c> dropped), single-quoted
/// values (literal but for <c>\'</c> and <c>\\</c>), double-quoted values with escapes (<c>\n</c>,
/// <c>\r</c>, <c>\t</c>, <c>\"</c>, <c>\\</c>); quoted values may span lines. No <c>${VAR}</c>
/// expansion: what is in the file is what the app gets.
/// </summary>
public static class Dotenv
{
    /// <summary>
    /// The variables in file order; a key given twice keeps its first place and its last value.
    /// </summary>
    /// <param name="source">Names the file in error messages.</param>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text, string source)
    {
        var parser = new Parser(text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal), source);
        var order = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parser.Entries())
        {
            if (!values.ContainsKey(key))
            {
                order.Add(key);
            }

            values[key] = value;
        }

        return order.Select(key => KeyValuePair.Create(key, values[key])).ToList();
    }

    /// <summary><c>KEY="value"</c> lines; backslashes, double quotes and line breaks escaped.</summary>
    public static string Format(IEnumerable<KeyValuePair<string, string>> variables)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in variables)
        {
            text.Append(key).Append("=\"");
            foreach (var c in value)
            {
                text.Append(c switch
                {
                    '\\' => @"\\",
                    '"' => "\\\"",
                    '\n' => @"\n",
                    '\r' => @"\r",
                    _ => c.ToString(),
                });
            }

            text.Append("\"\n");
        }

        return text.ToString();
    }

    private sealed class Parser(string text, string source)
    {
        private int position;
        private int line = 1;

        public IEnumerable<(string Key, string Value)> Entries()
        {
            while (true)
            {
                SkipBlank(includingLineBreaks: true);
                if (AtEnd)
                {
                    yield break;
                }

                if (Current == '#')
                {
                    SkipToEndOfLine();
                    continue;
                }

                var startLine = line;
                var key = ReadKey();
                SkipBlank(includingLineBreaks: false);
                var value = AtEnd || Current == '\n' ? ""
                    : Current == '"' ? ReadQuoted('"', startLine)
                    : Current == '\'' ? ReadQuoted('\'', startLine)
                    : ReadUnquoted();
                yield return (key, value);
            }
        }

        private bool AtEnd => position >= text.Length;

        private char Current => text[position];

        private string ReadKey()
        {
            var start = position;
            while (!AtEnd && Current != '=' && Current != '\n')
            {
                position++;
            }

            var key = text[start..position].Trim();
            if (AtEnd || Current != '=')
            {
                throw Error(line, $"expected KEY=value, found \"{key}\"");
            }

            position++; // '='
            if (key.StartsWith("export", StringComparison.Ordinal) && key.Length > 6 && char.IsWhiteSpace(key[6]))
            {
                key = key[6..].TrimStart();
            }

            return key.Length == 0 || key.Any(char.IsWhiteSpace)
                ? throw Error(line, $"\"{key}\" is not a variable name")
                : key;
        }

        private string ReadUnquoted()
        {
            var start = position;
            SkipToEndOfLine();
            var value = text[start..position];
            // " #" starts a comment; a '#' inside a value (http://host/#top) does not.
            for (var i = 1; i < value.Length; i++)
            {
                if (value[i] == '#' && (value[i - 1] == ' ' || value[i - 1] == '\t'))
                {
                    value = value[..i];
                    break;
                }
            }

            return value.TrimEnd();
        }

        private string ReadQuoted(char quote, int startLine)
        {
            position++; // opening quote
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error(startLine, $"the value's {quote} quote is never closed");
                }

                var c = text[position++];
                if (c == quote)
                {
                    break;
                }

                if (c == '\n')
                {
                    line++;
                }

                if (c == '\\' && !AtEnd)
                {
                    var escaped = Current;
                    var replacement = quote == '"'
                        ? escaped switch
                        {
                            'n' => "\n",
                            'r' => "\r",
                            't' => "\t",
                            '"' or '\\' or '$' => escaped.ToString(),
                            _ => null,
                        }
                        : escaped is '\'' or '\\' ? escaped.ToString() : null;
                    if (replacement is not null)
                    {
                        value.Append(replacement);
                        position++;
                        continue;
                    }
                }

                value.Append(c);
            }

            // After the closing quote only a comment may follow on the line.
            SkipBlank(includingLineBreaks: false);
            if (!AtEnd && Current == '#')
            {
                SkipToEndOfLine();
            }
            else if (!AtEnd && Current != '\n')
            {
                throw Error(line, "unexpected text after the closing quote");
            }

            return value.ToString();
        }

        private void SkipBlank(bool includingLineBreaks)
        {
            while (!AtEnd && (Current is ' ' or '\t' || (includingLineBreaks && Current == '\n')))
            {
                if (Current == '\n')
                {
                    line++;
                }

                position++;
            }
        }

        private void SkipToEndOfLine()
        {
            while (!AtEnd && Current != '\n')
            {
                position++;
            }
        }

        private CliException Error(int at, string message) => new($"{source} line {at}: {message}");
    }
}
