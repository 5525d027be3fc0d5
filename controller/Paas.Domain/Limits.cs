using System.Globalization;
using System.Text.RegularExpressions;

namespace Paas.Domain;

/// <summary>
/// Memory and CPU limits as users write them (Deis's forms): memory "256M", "1G", "512m" (a number
/// with a unit of B, K, M or G, any case); CPU "500m" (millicores), "1" or "0.5" (cores).
/// </summary>
public static partial class Limits
{
    [GeneratedRegex("^([0-9]+)([BbKkMmGg])$")]
    private static partial Regex MemoryForm();

    [GeneratedRegex("^(?:([0-9]+)m|([0-9]+(?:\\.[0-9]+)?))$")]
    private static partial Regex CpuForm();

    public static long MemoryBytes(string value)
    {
        var match = MemoryForm().Match(value);
        if (!match.Success)
            throw new ValidationFailedException("memory",
                $"Memory limit '{value}' is not understood: use a number and a unit of B, K, M or G, e.g. 256M or 1G.");
        var amount = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var bytes = char.ToUpperInvariant(match.Groups[2].Value[0]) switch
        {
            'B' => amount,
            'K' => amount * 1024,
            'M' => amount * 1024 * 1024,
            _ => amount * 1024 * 1024 * 1024,
        };
        if (bytes < 4 * 1024 * 1024)
            throw new ValidationFailedException("memory", $"Memory limit '{value}' is below the 4M a process needs to start.");
        return bytes;
    }

    public static int CpuMillis(string value)
    {
        var match = CpuForm().Match(value);
        var millis = !match.Success ? 0
            : match.Groups[1].Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : (int)Math.Round(double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) * 1000);
        if (millis < 1)
            throw new ValidationFailedException("cpu", $"CPU limit '{value}' is not understood: use millicores (500m) or cores (1, 0.5).");
        return millis;
    }
}

/// <summary>What a process may use; null means no limit.</summary>
public sealed record ResourceLimits(long? MemoryBytes, int? CpuMillis);
