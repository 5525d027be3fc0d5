using System.CommandLine;
using Paas.Cli.Api;

namespace Paas.Cli.Commands;

/// <summary>
/// <c>certs:list</c>, <c>certs:info</c>, <c>certs:add</c>, <c>certs:remove</c>, <c>certs:attach</c>,
/// <c>certs:detach</c>: TLS certificates, and which domains the router serves them for.
/// </summary>
internal static class CertsCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [List(cli), Info(cli), Add(cli), Remove(cli), Attach(cli), Detach(cli)];

    private static Command List(CliContext cli)
    {
        var json = CommonOptions.Json();
        var command = new Command("certs:list", "List the TLS certificates you can see") { json }.WithAliases("certs");

        command.SetAction(async (parse, ct) =>
        {
            using var client = cli.ConnectAsUser();
            var certificates = await client.ListCertificatesAsync(ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(certificates);
                return;
            }

            if (certificates.Count == 0)
            {
                cli.Output.Line("No certificates (add one with: paas certs:add NAME CERT_FILE KEY_FILE)");
                return;
            }

            cli.Output.Table(
                ["name", "common name", "expires", "domains"],
                certificates.Select(cert => (IReadOnlyList<string>)
                    [cert.Name, cert.CommonName ?? "", cert.Expires ?? "", string.Join(", ", cert.Domains ?? [])]));
        });
        return command;
    }

    private static Command Info(CliContext cli)
    {
        var name = NameArgument();
        var json = CommonOptions.Json();
        var command = new Command("certs:info", "Show a certificate: names, validity, fingerprint, domains") { name, json };

        command.SetAction(async (parse, ct) =>
        {
            using var client = cli.ConnectAsUser();
            var cert = await client.GetCertificateAsync(parse.GetValue(name)!, ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(cert);
                return;
            }

            cli.Output.Header($"{cert.Name} Certificate");
            cli.Output.Fields(
            [
                ("common name", cert.CommonName),
                ("alt names", string.Join(", ", cert.San ?? [])),
                ("starts", cert.Starts),
                ("expires", cert.Expires),
                ("fingerprint", cert.Fingerprint),
                ("issuer", cert.Issuer),
                ("subject", cert.Subject),
                ("domains", cert.Domains is { Count: > 0 } domains ? string.Join(", ", domains) : "none"),
                ("owner", cert.Owner),
                ("created", cert.Created),
                ("updated", cert.Updated),
            ]);
        });
        return command;
    }

    private static Command Add(CliContext cli)
    {
        var name = new Argument<string>("NAME") { Description = "A name for the certificate (lowercase letters, digits and hyphens)" };
        var certFile = new Argument<string>("CERT_FILE") { Description = "The certificate (chain) in PEM" };
        var keyFile = new Argument<string>("KEY_FILE") { Description = "Its private key in PEM" };
        var command = new Command("certs:add", "Upload a TLS certificate and its key") { name, certFile, keyFile };

        command.SetAction(async (parse, ct) =>
        {
            var certificate = ReadPem(cli, parse.GetValue(certFile)!, "certificate");
            var key = ReadPem(cli, parse.GetValue(keyFile)!, "key");
            var certName = parse.GetValue(name)!;
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync($"Adding certificate {certName}", () => client.AddCertificateAsync(certName, certificate, key, ct));
        });
        return command;
    }

    private static Command Remove(CliContext cli)
    {
        var name = NameArgument();
        var command = new Command("certs:remove", "Remove a certificate") { name };

        command.SetAction(async (parse, ct) =>
        {
            var certName = parse.GetValue(name)!;
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync($"Removing certificate {certName}", () => client.RemoveCertificateAsync(certName, ct));
        });
        return command;
    }

    private static Command Attach(CliContext cli)
    {
        var name = NameArgument();
        var domain = new Argument<string>("DOMAIN") { Description = "A domain of one of your apps" };
        var command = new Command("certs:attach", "Serve a certificate for a domain (HTTPS)") { name, domain };

        command.SetAction(async (parse, ct) =>
        {
            var (certName, domainName) = (parse.GetValue(name)!, parse.GetValue(domain)!);
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync(
                $"Attaching certificate {certName} to {domainName}", () => client.AttachCertificateAsync(certName, domainName, ct));
        });
        return command;
    }

    private static Command Detach(CliContext cli)
    {
        var name = NameArgument();
        var domain = new Argument<string>("DOMAIN") { Description = "The domain" };
        var command = new Command("certs:detach", "Stop serving a certificate for a domain") { name, domain };

        command.SetAction(async (parse, ct) =>
        {
            var (certName, domainName) = (parse.GetValue(name)!, parse.GetValue(domain)!);
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync(
                $"Detaching certificate {certName} from {domainName}", () => client.DetachCertificateAsync(certName, domainName, ct));
        });
        return command;
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "The certificate's name" };

    private static string ReadPem(CliContext cli, string file, string what)
    {
        var path = Path.GetFullPath(file, cli.Environment.WorkingDirectory);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot read the {what} file {file}: {e.Message}", e);
        }

        return text.Contains("-----BEGIN ", StringComparison.Ordinal)
            ? text
            : throw new CliException($"{file} is not a PEM file (no -----BEGIN line); the {what} must be in PEM");
    }
}
