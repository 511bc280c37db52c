using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FakeEtcd.Hosting;

/// <summary>The standalone server's TLS flags, named as etcd names them, and their loading from PEM files.</summary>
internal sealed class TlsOptions
{
    public Option<string?> CertFile { get; } = new("--cert-file")
    {
        Description = "Path to the client server TLS certificate file (PEM), for https:// listen URLs.",
    };

    public Option<string?> KeyFile { get; } = new("--key-file")
    {
        Description = "Path to the client server TLS key file (PEM).",
    };

    public Option<string?> TrustedCaFile { get; } = new("--trusted-ca-file")
    {
        Description = "Path to the client server TLS trusted CA certificate file (PEM), used with --client-cert-auth.",
    };

    public Option<bool> ClientCertAuth { get; } = new("--client-cert-auth")
    {
        Description = "Require client certificates signed by --trusted-ca-file on https:// listen URLs.",
    };

    /// <summary>Loads the files named on the command line into <paramref name="options"/>; false (after printing why) on bad input.</summary>
    public async Task<bool> ApplyAsync(ParseResult result, FakeEtcdServerOptions options)
    {
        var cert = result.GetValue(CertFile);
        var key = result.GetValue(KeyFile);
        var ca = result.GetValue(TrustedCaFile);
        var clientCertAuth = result.GetValue(ClientCertAuth);
        string? error = null;
        if ((cert is null) != (key is null))
        {
            error = "--cert-file and --key-file must be given together";
        }
        else if (clientCertAuth && ca is null)
        {
            error = "--client-cert-auth needs --trusted-ca-file";
        }
        else
        {
            try
            {
                if (cert is not null)
                {
                    options.ServerCertificate = X509Certificate2.CreateFromPemFile(cert, key);
                }

                if (clientCertAuth)
                {
                    options.ClientCertificateAuthority = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(ca!).ConfigureAwait(false));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                error = "cannot load TLS files: " + e.Message;
            }
        }

        if (error is not null)
        {
            await Console.Error.WriteLineAsync("error: " + error).ConfigureAwait(false);
        }

        return error is null;
    }
}
