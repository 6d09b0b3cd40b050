using LlmSpell.Kernel;
using LlmSpell.Lua;
using LlmSpell.Server.Config;

namespace LlmSpell.Server.Kernels;

/// <summary>The one mapping from configuration to a kernel's start options (service kernels and `kernel run`).</summary>
public static class KernelOptionsFromConfig
{
    public static KernelStartOptions Create(LlmSpellOptions o, string id, string connectionFile) => new()
    {
        Id = id,
        Ip = o.Kernel.Ip switch { "localhost" => "127.0.0.1", "*" => "0.0.0.0", var ip => ip },
        ConnectionFilePath = connectionFile,
        ExecutionTimeout = TimeSpan.FromSeconds(o.Kernel.ExecutionTimeout),
        Lua = new LuaSessionOptions
        {
            MemoryLimitBytes = o.Kernel.MemoryLimitMb * 1024L * 1024L,
            InstructionLimit = o.Kernel.InstructionLimit,
            AllowUnsafe = o.Security.AllowUnsafeLua,
            WorkingDirectory = o.Daemon.WorkingDir,
            UnsafeFunctionHint = "set [security] allow_unsafe_lua = true to enable",
            EnvironmentAllowList = o.Security.LuaEnvAllow,
        },
        MaxMessageSizeBytes = o.Security.MaxMessageSizeMb * 1024L * 1024L,
    };
}
