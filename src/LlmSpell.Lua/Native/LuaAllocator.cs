using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static LlmSpell.Lua.LuaNative;

namespace LlmSpell.Lua;

/// <summary>
/// The allocator of one Lua state: counts the bytes it holds and, while <see cref="Enforce"/> is on, refuses
/// growth beyond the limit (Lua turns the refusal into a memory error in the running script).
/// </summary>
internal sealed unsafe class LuaAllocator : IDisposable
{
    [StructLayout(LayoutKind.Sequential)]
    private struct State
    {
        public long Used;
        public long Limit;
        public int Enforce;
        public int Refused;
    }

    private State* _state;

    public LuaAllocator(long limitBytes)
    {
        _state = (State*)NativeMemory.AllocZeroed((nuint)sizeof(State));
        _state->Limit = Math.Max(0, limitBytes);
    }

    /// <summary>A new Lua state allocating through this allocator, or zero.</summary>
    public IntPtr NewState() => lua_newstate(&Allocate, (IntPtr)_state);

    public bool IsFreed => _state == null;

    public long Used => _state == null ? 0 : _state->Used;

    /// <summary>The limit in bytes; 0 = unlimited.</summary>
    public long Limit => _state->Limit;

    public bool Enforce
    {
        get => _state->Enforce != 0;
        set => _state->Enforce = value ? 1 : 0;
    }

    /// <summary>Whether an allocation was refused since this was last cleared.</summary>
    public bool Refused
    {
        get => _state->Refused != 0;
        set => _state->Refused = value ? 1 : 0;
    }

    public void Dispose()
    {
        if (_state == null)
            return;
        NativeMemory.Free(_state);
        _state = null;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static IntPtr Allocate(IntPtr ud, IntPtr ptr, nuint osize, nuint nsize)
    {
        var s = (State*)ud;
        if (nsize == 0)
        {
            if (ptr != IntPtr.Zero)
            {
                NativeMemory.Free((void*)ptr);
                s->Used -= (long)osize;
            }
            return IntPtr.Zero;
        }
        long old = ptr == IntPtr.Zero ? 0 : (long)osize;
        long delta = (long)nsize - old;
        if (delta > 0 && s->Limit > 0 && s->Enforce != 0 && s->Used + delta > s->Limit)
        {
            s->Refused = 1;
            return IntPtr.Zero;
        }
        void* p;
        try
        {
            p = NativeMemory.Realloc((void*)ptr, nsize);
        }
        catch (OutOfMemoryException)
        {
            // Never let an exception escape a native callback; Lua turns NULL into a memory error.
            return IntPtr.Zero;
        }
        if (p == null)
            return IntPtr.Zero;
        s->Used += delta;
        return (IntPtr)p;
    }
}
