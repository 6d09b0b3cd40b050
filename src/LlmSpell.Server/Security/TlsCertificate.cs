using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LlmSpell.Server.Config;

namespace LlmSpell.Server.Security;

public static class TlsCertificate
{
    /// <summary>Loads the PEM certificate and key; a missing, unreadable or invalid file is a <see cref="ConfigException"/> naming it.</summary>
    public static X509Certificate2 Load(string certPath, string keyPath)
    {
        var problems = new List<ConfigProblem>();
        foreach (var (key, path) in new[] { ("security.tls_cert", certPath), ("security.tls_key", keyPath) })
        {
            try
            {
                using var _ = File.OpenRead(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var reason = e switch
                {
                    FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
                    UnauthorizedAccessException => "Permission denied",
                    _ => e.Message,
                };
                problems.Add(new ConfigProblem(ProblemSeverity.Error, key, $"cannot read {path}: {reason}"));
            }
        }
        if (problems.Count > 0) throw new ConfigException(problems);
        try
        {
            return X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }
        catch (CryptographicException e)
        {
            throw new ConfigException([new ConfigProblem(ProblemSeverity.Error, "security.tls_cert",
                $"cannot load the TLS certificate {certPath} with the key {keyPath}: {e.Message} (both must be PEM, and the key must match the certificate)")]);
        }
    }
}
