using System.Text;

namespace Paas.Builder.Git;

/// <summary>Git's pkt-line framing: a 4-hex-digit length (including itself), then the payload.</summary>
public static class PktLine
{
    public static byte[] Encode(string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        return [.. Encoding.ASCII.GetBytes((bytes.Length + 4).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)), .. bytes];
    }

    public static readonly byte[] Flush = "0000"u8.ToArray();

    /// <summary>
    /// The start of a smart-HTTP ref advertisement that carries only an error: git prints
    /// "fatal: remote error: &lt;message&gt;" and exits non-zero.
    /// </summary>
    public static byte[] ErrorAdvertisement(string service, string message) =>
        [.. Encode($"# service={service}\n"), .. Flush, .. Encode($"ERR {message}\n")];
}
