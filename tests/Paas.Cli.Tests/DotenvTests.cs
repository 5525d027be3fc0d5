namespace Paas.Cli.Tests;

/// <summary>The .env reader and writer on their own (config:pull/push use them; see ConfigCommandsTests for the round trip).</summary>
public sealed class DotenvTests
{
    [Theory]
    [InlineData("A=1\r\nB=2\r\n", "A=1|B=2")]
    [InlineData("\uFEFFA=1\n", "A=1")]
    [InlineData("A=1\nA=2\nB=3\n", "A=2|B=3")]
    [InlineData("export=x\nexport\tTABBED=y\n", "export=x|TABBED=y")]
    [InlineData("  INDENTED = value with  inner  spaces  \n", "INDENTED=value with  inner  spaces")]
    [InlineData("A=\"x\" # comment\nB='y'\t# comment\n", "A=x|B=y")]
    [InlineData("A=\"\\u and \\q stay\"\n", "A=\\u and \\q stay")]
    [InlineData("A='C:\\dir\\file'\n", "A=C:\\dir\\file")]
    [InlineData("A=x#not-a-comment\n", "A=x#not-a-comment")]
    [InlineData("A=\nB=\"\"\nC=''\n", "A=|B=|C=")]
    public void Parse_understands_common_dotenv(string text, string expected)
    {
        var parsed = Dotenv.Parse(text, ".env");

        Assert.Equal(expected, string.Join('|', parsed.Select(p => $"{p.Key}={p.Value}")));
    }

    [Fact]
    public void Format_escapes_what_double_quotes_need()
    {
        var text = Dotenv.Format([KeyValuePair.Create("K", "a\\b \"c\"\nd\re $f 'g' é")]);

        Assert.Equal("K=\"a\\\\b \\\"c\\\"\\nd\\re $f 'g' é\"\n", text);
        Assert.Equal("a\\b \"c\"\nd\re $f 'g' é", Assert.Single(Dotenv.Parse(text, ".env")).Value);
    }

    [Theory]
    [InlineData("KEY WITH SPACE=1\n", ".env line 1: \"KEY WITH SPACE\" is not a variable name")]
    [InlineData("A=1\n\n=2\n", ".env line 3: \"\" is not a variable name")]
    [InlineData("A=\"one\ntwo\nB=3\n", ".env line 1: the value's \" quote is never closed")]
    public void Parse_names_the_line_of_a_mistake(string text, string message)
    {
        var error = Assert.Throws<CliException>(() => Dotenv.Parse(text, ".env"));

        Assert.Equal(message, error.Message);
    }
}
