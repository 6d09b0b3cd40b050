using LlmSpell.Lua;
using static LlmSpell.Lua.LuaNative;

namespace LlmSpell.Lua.Tests;

/// <summary>
/// The managed pattern functions against the C ones of the same liblua: a plain lua_State with the standard
/// libraries runs the same driver, and every result (or error message) must agree.
/// </summary>
public class PatternDifferentialTests
{
    private const string Driver = """
        local out = {}
        local function ser(...)
          local t = {}
          for i = 1, select('#', ...) do
            local v = select(i, ...)
            if type(v) == 'string' then t[i] = string.format('%q', v)
            elseif type(v) == 'number' then t[i] = math.type(v) .. ':' .. tostring(v)
            elseif type(v) == 'table' or type(v) == 'function' then t[i] = type(v)
            else t[i] = tostring(v) end
          end
          return '(' .. table.concat(t, ',') .. ')'
        end
        local function gm(s, p, init)
          local it, r = string.gmatch(s, p, init), {}
          for _ = 1, 100 do
            local v = table.pack(it())
            r[#r + 1] = ser(table.unpack(v, 1, v.n))
            if v[1] == nil then break end
          end
          return table.concat(r)
        end
        local function case(label, f, ...)
          local r = table.pack(pcall(f, ...))
          local res = r[1] and ser(table.unpack(r, 2, r.n)) or ('ERR ' .. tostring(r[2]))
          out[#out + 1] = label .. ' => ' .. res
        end
        local find, match, gsub = string.find, string.match, string.gsub
        local function all(s, p, init)
          local l = ser(s, p, init)
          case('find' .. l, find, s, p, init)
          case('match' .. l, match, s, p, init)
          case('gmatch' .. l, gm, s, p, init)
          case('gsub<%0>' .. l, gsub, s, p, '<%0>')
          case('gsub%1' .. l, gsub, s, p, '[%1]')
          case('gsubf' .. l, gsub, s, p, function(...) return ser(...) end)
          case('gsubt' .. l, gsub, s, p, {a = 'A', [1] = 'one', ab = false})
          case('gsubn' .. l, gsub, s, p, '.', 2)
        end
        local subjects = {'', 'a', 'hello world', 'THE (quick) [brown] fox, 12 jumps!', 'aaa', 'abab',
          ' \t\n\1\127x\200\255', 'f(a(b)c)d(e', 'x = 10, y = 0x1F; z=-3.5e2', 'one two  three', 'aXbXc'}
        local patterns = {'', 'a', '.', 'l+', 'l*', 'l-', 'l?', 'o.', '^h', '^', '$', 'd$', '^$', '%a+', '%A+',
          '%c', '%C+', '%d+', '%D', '%g+', '%G', '%l+', '%L', '%p', '%P+', '%s+', '%S+', '%u', '%U+', '%w+', '%W',
          '%x+', '%X', '[aeiou]', '[^aeiou]+', '[a-f]+', '[%a_][%w_]*', '[]]', '[^]]', '[a-]', '[-a]', '[%]]',
          '[%-%+]', '%b()', '%b[]', '%bxy', '%f[%w]%w+', '%f[%W]', '%f[%a]', '%f[^%z]', '(%w+)%s*=%s*(%w+)',
          '()', '()a()', '(a)(b)', '((a)(b))', '(a*(.)%w(%s*))', '(.)%1', '(%a)%1', '()%1', '%.', '%%', 'x*', 'x-',
          '(', ')', '(()', '%', '[a', '[', '[^', '%f', '%fa', '%b', '%ba', '%1', '%0', '(a)%2', '(a%1)',
          '[%', '%z', '\0', '.-', '.-b', 'a.-b', '^(.-)%s*$', '(h)(e)(l)(l)(o)', 'l+$', '%s*$', '^%s*',
          '(%d+)%.?(%d*)', '[%d.]+', '[\200-\255]', '%x%x', 'a?b?c?', '(a?)', '^a*', '(x?)', '[^%s]+', '%w+%p'}
        for _, s in ipairs(subjects) do
          for _, p in ipairs(patterns) do all(s, p) end
        end
        for _, init in ipairs({-100, -3, -1, 0, 1, 2, 5, 11, 12, 13, 100, 2.0, '3', 2.5, 'x', {}}) do
          all('hello world', 'o', init)
          all('hello world', 'l*', init)
          all('hello world', '^l', init)
          case('plainfind' .. ser(init), find, 'a.b.c', '.', init, true)
        end
        -- Arguments and replacements.
        case('plain', find, 'a+b', '+', 1, true)
        case('plain2', find, 'a+b', 'a+', 1, 1)
        case('nospec', find, 'abcabc', 'cab')
        case('empty plain', find, 'abc', '', 10, true)
        case('empty plain end', find, 'abc', '', 4, true)
        case('numbers', find, 12345, 34)
        case('number float', match, 1.5, '%d')
        case('number pattern', gsub, 'a1b1', 1, 2)
        case('number subject unchanged', gsub, 123, 'x', 'y')
        case('gsub false keeps', gsub, 'abc', '%w', function(c) return c == 'b' and 'B' end)
        case('gsub nothing changed', gsub, 77, '%d', function() return false end)
        case('gsub number value', gsub, 'abc', '%w', function() return 1.5 end)
        case('gsub bad value', gsub, 'abc', '%w', function() return {} end)
        case('gsub table value', gsub, 'abc', '%w', {a = {}})
        case('gsub %%', gsub, 'abc', 'b', '%%')
        case('gsub % end', gsub, 'abc', 'b', 'x%')
        case('gsub %x', gsub, 'abc', 'b', '%x')
        case('gsub %2', gsub, 'abc', '(b)', '%2')
        case('gsub %2 no caps', gsub, 'abc', 'b', '%2')
        case('gsub %1 no caps', gsub, 'abc', 'b', '%1')
        case('gsub pos cap', gsub, 'abc', '()b', '%1')
        case('gsub pos cap table', gsub, 'abc', '()b', {[2] = 'two'})
        case('gsub unfinished', gsub, 'abc', '(b', '%1')
        case('gsub unfinished unused', gsub, 'abc', '(b', 'x')
        case('gsub unfinished table', gsub, 'abc', '(b', {})
        case('gsub unfinished fn', gsub, 'abc', '(b', print)
        case('gsub n 0', gsub, 'abc', '%w', 'x', 0)
        case('gsub n -1', gsub, 'abc', '%w', 'x', -1)
        case('gsub n 1.0', gsub, 'abc', '%w', 'x', 1.0)
        case('gsub n 1.5', gsub, 'abc', '%w', 'x', 1.5)
        case('gsub n str', gsub, 'abc', '%w', 'x', '2')
        case('gsub n bad', gsub, 'abc', '%w', 'x', 'two')
        case('gsub anchored', gsub, 'aaa', '^a', 'b')
        case('gsub anchored empty', gsub, 'aaa', '^', 'b')
        case('gsub empty', gsub, 'abc', '', '-')
        case('gsub x*', gsub, 'abc', 'x*', '-')
        case('gsub %w*', gsub, 'ab cd', '%w*', '<%0>')
        case('gsub repl nil', gsub, 'abc', 'b')
        case('gsub repl bool', gsub, 'abc', 'b', true)
        case('gsub no args', gsub)
        case('find no args', find)
        case('find nil pattern', find, 'x')
        case('find table', find, {}, 'x')
        case('match bool', match, 'x', true)
        case('gmatch nil', string.gmatch, nil, 'x')
        case('gmatch anchor', gm, '^a^a', '^a')
        case('gmatch init', gm, 'abcabc', 'abc', 2)
        case('gmatch init end', gm, 'abc', '', 4)
        case('gmatch init beyond', gm, 'abc', '', 5)
        case('gmatch neg', gm, 'abcabc', '%w', -2)
        case('too many captures', find, 'a', string.rep('()', 33))
        case('32 captures', find, 'a', string.rep('()', 32))
        case('too complex', find, string.rep('a', 300), string.rep('a?', 250))
        case('method', function() local r = ('abc'):find(nil) return r end)
        case('method self', function() local r = string.find(nil, 'x') return r end)
        case('method bad self', function() local t = setmetatable({}, {__index = string}) local r = t:find('x') return r end)
        case('big init', find, 'abc', 'c', math.maxinteger)
        case('min init', find, 'abc', 'c', math.mininteger)
        case('long back-reference', find, string.rep('ab', 500) .. string.rep('ab', 500), '^(.+)%1$')
        -- Random small patterns over a small alphabet.
        local seed = 12345
        local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n + 1 end
        local atoms = {'a', 'b', '.', '%a', '%d', '%%', '[ab]', '[^a]', '[a-c]', '*', '+', '-', '?', '^', '$',
          '(', ')', '()', '%1', '%b()', '%f[a]', '[', ']', '%', ' '}
        local chars = {'a', 'b', 'c', '(', ')', ' ', '1'}
        for _ = 1, 400 do
          local p, s = {}, {}
          for i = 1, rnd(7) - 1 do p[i] = atoms[rnd(#atoms)] end
          for i = 1, rnd(10) - 1 do s[i] = chars[rnd(#chars)] end
          all(table.concat(s), table.concat(p), rnd(5) - 2)
        end
        return table.concat(out, '\n')
        """;

    private static string RunInC()
    {
        IntPtr L = luaL_newstate();
        try
        {
            luaL_openlibs(L);
            Assert.Equal(LUA_OK, LoadText(L, Driver, LuaSession.CellChunkName));
            Assert.Equal(LUA_OK, PCall(L, 0, 1, 0));
            return ToStr(L, -1)!;
        }
        finally
        {
            lua_close(L);
        }
    }

    private static string RunInSession(bool unsafeMode)
    {
        using var s = Lua.NewSession(unsafeMode);
        var host = new RecordingHost();
        var r = s.Run("io.write((function() " + Driver + "\nend)())", host);
        Assert.True(r.Success, r.Error?.Value);
        return host.Stdout;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ManagedPatternFunctionsAgreeWithTheCLibrary(bool unsafeMode)
    {
        string[] expected = RunInC().Split('\n');
        string[] actual = RunInSession(unsafeMode).Split('\n');
        Assert.True(expected.Length > 6000, $"only {expected.Length} cases");
        var mismatches = expected.Zip(actual).Where(p => p.First != p.Second).Take(15)
            .Select(p => $"C:       {p.First}\nmanaged: {p.Second}").ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Equal(expected.Length, actual.Length);
    }
}
