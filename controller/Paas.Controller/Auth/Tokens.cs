using System.Security.Cryptography;
using System.Text;

namespace Paas.Controller.Auth;

/// <summary>API tokens: 40 random hex characters (as Deis's), stored only as their SHA-256.</summary>
public static class Tokens
{
    public static string Create() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
