using LlmSpell.Kernel.Protocol;
using LlmSpell.Lua;

namespace LlmSpell.Kernel.Shell;

/// <summary>A shell request being handled on the execution thread, with its arrival stamp and the Lua state.</summary>
internal sealed record ShellRequest(JupyterMessage Message, long Stamp, LuaSession? Session)
{
    public LuaSession RequireSession() => Session ?? throw new InvalidOperationException("No Lua session is available");
}
