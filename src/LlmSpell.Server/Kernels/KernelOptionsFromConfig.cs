using LlmSpell.Kernel;
using LlmSpell.Lua;
using LlmSpell.Server.Config;

namespace LlmSpell.Server.Kernels;

/// <summary>The one mapping from configuration to a kernel's start options (service kernels and `kernel run`).</summary>
public static class KernelOptionsFromConfig
{
    /// <param name="scripting">The process's scripting layer (Agent, Tool, Workflow, State); null = plain Lua.</param>
    /// <param name="launch">What the client that asked for the kernel chose (user, working directory inside the sandbox).</param>
    public static KernelStartOptions Create(LlmSpellOptions o, string id, string connectionFile, LlmSpell.Scripting.ScriptingServices? scripting = null,
        KernelLaunch? launch = null)
    {
        var workingDir = launch?.WorkingDirectory ?? o.Daemon.WorkingDir;
        return new()
        {
        Id = id,
        Username = launch?.Username,
        Ip = o.Kernel.Ip switch { "localhost" => "127.0.0.1", "*" => "0.0.0.0", var ip => ip },
        ConnectionFilePath = connectionFile,
        ExecutionTimeout = TimeSpan.FromSeconds(o.Kernel.ExecutionTimeout),
        Lua = Lua(o) with
        {
            WorkingDirectory = workingDir,
            HostLibrary = scripting is null ? null : () => scripting.CreateLibrary(workingDir ?? Environment.CurrentDirectory),
        },
        MaxMessageSizeBytes = o.Security.MaxMessageSizeMb * 1024L * 1024L,
        };
    }

    /// <summary>The directory kernels are confined to: [daemon] working_dir, else the service's current directory.</summary>
    public static string SandboxRoot(LlmSpellOptions o) => Path.GetFullPath(o.Daemon.WorkingDir ?? Environment.CurrentDirectory);

    /// <summary>The Lua limits and sandbox of the configuration (kernels and `llmspell run`).</summary>
    public static LuaSessionOptions Lua(LlmSpellOptions o) => new()
    {
        MemoryLimitBytes = o.Kernel.MemoryLimitMb * 1024L * 1024L,
        InstructionLimit = o.Kernel.InstructionLimit,
        AllowUnsafe = o.Security.AllowUnsafeLua,
        WorkingDirectory = o.Daemon.WorkingDir,
        UnsafeFunctionHint = "set [security] allow_unsafe_lua = true to enable",
        EnvironmentAllowList = o.Security.LuaEnvAllow,
    };
}
