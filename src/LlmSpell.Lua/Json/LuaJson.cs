using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using static LlmSpell.Lua.LuaNative;

namespace LlmSpell.Lua;

/// <summary>
/// Converts between Lua values on the stack and JSON text, walking the stack directly (no Lua code runs, so no
/// metamethod can interfere). Used by JSON.encode/decode and by every value a host library receives or returns.
/// </summary>
/// <remarks>
/// A table is a JSON array when its keys are exactly 1..n (n ≥ 1), otherwise an object; an empty table is an
/// object. Number keys of objects become strings. Functions, userdata, threads, cycles, NaN and infinities cannot
/// be represented and are refused with the path of the offending value.
/// </remarks>
internal static class LuaJson
{
    public const int MaxDepth = 200;

    /// <summary>Encodes the value at <paramref name="idx"/>; false with a message when it cannot be encoded.</summary>
    public static bool TryEncode(IntPtr L, int idx, out string json, out string? error)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            var seen = new HashSet<IntPtr>();
            error = Write(L, AbsIndex(L, idx), writer, seen, "value", 0);
        }
        json = error is null ? Encoding.UTF8.GetString(buffer.WrittenSpan) : "";
        return error is null;
    }

    private static int AbsIndex(IntPtr L, int idx) => idx > 0 || idx <= LUA_REGISTRYINDEX ? idx : lua_gettop(L) + idx + 1;

    private static unsafe string? Write(IntPtr L, int idx, Utf8JsonWriter w, HashSet<IntPtr> seen, string path, int depth)
    {
        switch (lua_type(L, idx))
        {
            case LUA_TNIL:
                w.WriteNullValue();
                return null;
            case LUA_TBOOLEAN:
                w.WriteBooleanValue(lua_toboolean(L, idx) != 0);
                return null;
            case LUA_TNUMBER:
                if (lua_isinteger(L, idx) != 0)
                {
                    w.WriteNumberValue(lua_tointegerx(L, idx, null));
                    return null;
                }
                double d = lua_tonumberx(L, idx, null);
                if (!double.IsFinite(d))
                    return $"cannot encode {d.ToString(CultureInfo.InvariantCulture)} at {path}: JSON has no NaN or infinity";
                w.WriteNumberValue(d);
                return null;
            case LUA_TSTRING:
                w.WriteStringValue(ToStr(L, idx));
                return null;
            case LUA_TTABLE:
                return WriteTable(L, idx, w, seen, path, depth);
            default:
                return $"cannot encode a {TypeName(L, idx)} at {path}: only nil, booleans, numbers, strings and tables of them can be stored";
        }
    }

    private static string TypeName(IntPtr L, int idx) => lua_type(L, idx) switch
    {
        2 or 7 => "userdata",
        6 => "function",
        8 => "thread (coroutine)",
        _ => "value",
    };

    private static string? WriteTable(IntPtr L, int idx, Utf8JsonWriter w, HashSet<IntPtr> seen, string path, int depth)
    {
        if (depth >= MaxDepth)
            return $"cannot encode {path}: nested deeper than {MaxDepth} levels";
        var pointer = lua_topointer(L, idx);
        if (!seen.Add(pointer))
            return $"cannot encode {path}: the table contains itself (a cycle)";
        if (lua_checkstack(L, 4) == 0)
            return $"cannot encode {path}: out of Lua stack";
        try
        {
            long length = (long)lua_rawlen(L, idx);
            long count = 0;
            bool stringKeys = false;
            lua_pushnil(L);
            while (lua_next(L, idx) != 0)
            {
                count++;
                if (lua_type(L, -2) != LUA_TNUMBER || lua_isinteger(L, -2) == 0)
                    stringKeys = true;
                Pop(L, 1);
            }
            if (length > 0 && count == length && !stringKeys)
            {
                w.WriteStartArray();
                for (long i = 1; i <= length; i++)
                {
                    lua_rawgeti(L, idx, i);
                    var error = Write(L, lua_gettop(L), w, seen, $"{path}[{i}]", depth + 1);
                    Pop(L, 1);
                    if (error is not null) return error;
                }
                w.WriteEndArray();
                return null;
            }

            w.WriteStartObject();
            var keys = new List<string>();
            lua_pushnil(L);
            while (lua_next(L, idx) != 0)
            {
                string? name = lua_type(L, -2) switch
                {
                    LUA_TSTRING => ToStr(L, -2),
                    LUA_TNUMBER => lua_isinteger(L, -2) != 0
                        ? IntegerAt(L, -2).ToString(CultureInfo.InvariantCulture)
                        : NumberKey(L),
                    _ => null,
                };
                if (name is null)
                {
                    Pop(L, 2);
                    return $"cannot encode {path}: a {KeyTypeName(L)} key cannot be a JSON object key (use strings)";
                }
                keys.Add(name);
                w.WritePropertyName(name);
                var error = Write(L, lua_gettop(L), w, seen, Child(path, name), depth + 1);
                Pop(L, 1);
                if (error is not null)
                {
                    Pop(L, 1);
                    return error;
                }
            }
            w.WriteEndObject();
            return null;
        }
        finally
        {
            seen.Remove(pointer);
        }
    }

    private static unsafe long IntegerAt(IntPtr L, int idx) => lua_tointegerx(L, idx, null);

    // Not ToStr: lua_tolstring on a number key would turn the key into a string in place and break lua_next.
    private static unsafe string NumberKey(IntPtr L) =>
        lua_tonumberx(L, -2, null).ToString("R", CultureInfo.InvariantCulture);

    private static string KeyTypeName(IntPtr L) => lua_type(L, -2) switch
    {
        LUA_TBOOLEAN => "boolean",
        LUA_TTABLE => "table",
        6 => "function",
        _ => "non-string",
    };

    private static string Child(string path, string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_')
            ? $"{path}.{name}"
            : $"{path}[\"{name}\"]";

    /// <summary>Pushes the value the JSON text describes; false (nothing pushed) with a message when it is not valid JSON.</summary>
    public static bool TryDecode(IntPtr L, string json, out string? error)
    {
        int top = lua_gettop(L);
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read())
            {
                error = "invalid JSON: the text is empty";
                return false;
            }
            error = Push(L, ref reader);
            if (error is null && reader.Read())
                error = $"invalid JSON: unexpected text after the value at byte {reader.TokenStartIndex}";
        }
        catch (JsonException e)
        {
            error = $"invalid JSON: {e.Message.Split(" Path:")[0]}";
        }
        if (error is not null)
        {
            lua_settop(L, top);
            return false;
        }
        return true;
    }

    private static string? Push(IntPtr L, ref Utf8JsonReader reader)
    {
        if (lua_checkstack(L, 4) == 0)
            return "invalid JSON: nested too deeply for the Lua stack";
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                lua_pushnil(L);
                return null;
            case JsonTokenType.True:
            case JsonTokenType.False:
                lua_pushboolean(L, reader.TokenType == JsonTokenType.True ? 1 : 0);
                return null;
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out long l))
                    lua_pushinteger(L, l);
                else
                    lua_pushnumber(L, reader.GetDouble());
                return null;
            case JsonTokenType.String:
                PushStr(L, reader.GetString() ?? "");
                return null;
            case JsonTokenType.StartArray:
            {
                lua_createtable(L, 0, 0);
                long i = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    i++;
                    if (Push(L, ref reader) is { } e) return e;
                    lua_rawseti(L, -2, i);
                }
                return null;
            }
            case JsonTokenType.StartObject:
            {
                lua_createtable(L, 0, 0);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    PushStr(L, reader.GetString() ?? "");
                    reader.Read();
                    if (Push(L, ref reader) is { } e) return e;
                    lua_rawset(L, -3);
                }
                return null;
            }
            default:
                return $"invalid JSON: unexpected {reader.TokenType}";
        }
    }
}
