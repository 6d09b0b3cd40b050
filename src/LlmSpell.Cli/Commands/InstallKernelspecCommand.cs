using LlmSpell.Cli.Client;
using LlmSpell.Server.Api;
using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LlmSpell.Cli.Commands;

/// <summary>`kernel install-kernelspec`: registers llmspell with Jupyter (jupyter kernelspec list, console, nbclient).</summary>
public static partial class InstallKernelspecCommand
{
    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();

    public static Command Create()
    {
        var user = new Option<bool>("--user") { Description = "Install for the current user (~/.local/share/jupyter/kernels)" };
        var prefix = new Option<string?>("--prefix") { Description = "Install under PREFIX/share/jupyter/kernels (e.g. a virtualenv)" };
        var name = new Option<string>("--name") { Description = "Kernelspec name", DefaultValueFactory = _ => KernelSpecDefaults.Name };
        var displayName = new Option<string>("--display-name") { Description = "Name shown in notebook UIs", DefaultValueFactory = _ => KernelSpecDefaults.DisplayName };
        var command = new Command("install-kernelspec", "Install a Jupyter kernelspec that launches this llmspell binary") { user, prefix, name, displayName };
        command.SetAction(parse =>
        {
            var kernelName = parse.GetValue(name)!;
            if (!NamePattern().IsMatch(kernelName))
                throw new UserFacingException($"--name must contain only letters, digits, '.', '_' and '-', got \"{kernelName}\"", ExitCodes.InvalidConfiguration);
            var directory = Path.Combine(KernelsDirectory(parse.GetValue(user), parse.GetValue(prefix)), kernelName);
            var spec = KernelSpecDefaults.Spec(Executable(), parse.GetValue(displayName)!);
            try
            {
                Directory.CreateDirectory(directory);
                File.WriteAllText(Path.Combine(directory, "kernel.json"), JsonSerializer.Serialize(spec, KernelSpecJsonContext.Default.KernelSpec) + "\n");
                foreach (var resource in KernelSpecResources.All)
                    File.WriteAllBytes(Path.Combine(directory, resource.FileName), KernelSpecResources.Bytes(resource));
            }
            catch (UnauthorizedAccessException)
            {
                throw new UserFacingException($"Permission denied: cannot write {directory}; use --user, --prefix, or run with sudo");
            }
            parse.InvocationConfiguration.Output.WriteLine($"Installed kernelspec {kernelName} in {directory}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Jupyter's own locations: --user → the user data dir, --prefix → PREFIX/share, else the system-wide one.</summary>
    private static string KernelsDirectory(bool user, string? prefix)
    {
        if (prefix is not null) return Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels");
        if (!user) return "/usr/local/share/jupyter/kernels";
        var dataHome = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR");
        if (!string.IsNullOrEmpty(dataHome)) return Path.Combine(dataHome, "kernels");
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var baseDir = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share") : xdg;
        return Path.Combine(baseDir, "jupyter", "kernels");
    }

    /// <summary>The absolute path of this binary (the apphost; `dotnet llmspell.dll` would need both parts).</summary>
    private static string Executable() => KernelSpecDefaults.CurrentExecutable()
        ?? throw new UserFacingException("the path of the llmspell executable is unknown: run install-kernelspec through the llmspell executable, not `dotnet llmspell.dll`");
}
