using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LlmSpell.Lua;

/// <summary>The bindings the pattern and JSON primitives use.</summary>
internal static unsafe partial class LuaNative
{
    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial long lua_tointegerx(IntPtr L, int idx, int* isnum);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int lua_toboolean(IntPtr L, int idx);
}
