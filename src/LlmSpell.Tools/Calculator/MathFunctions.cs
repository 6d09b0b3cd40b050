namespace LlmSpell.Tools.Calculator;

/// <summary>The functions and constants expressions may use.</summary>
internal static class MathFunctions
{
    private sealed record Function(int MinArgs, int MaxArgs, Func<double[], double> Apply, Func<double[], string?>? Domain = null);

    private static readonly Dictionary<string, Function> Functions = new(StringComparer.Ordinal)
    {
        ["sqrt"] = new(1, 1, a => Math.Sqrt(a[0]), a => a[0] < 0 ? $"sqrt of a negative number ({a[0]})" : null),
        ["abs"] = new(1, 1, a => Math.Abs(a[0])),
        ["min"] = new(1, int.MaxValue, a => a.Min()),
        ["max"] = new(1, int.MaxValue, a => a.Max()),
        ["floor"] = new(1, 1, a => Math.Floor(a[0])),
        ["ceil"] = new(1, 1, a => Math.Ceiling(a[0])),
        ["round"] = new(1, 2, Round, a => a.Length == 2 && (a[1] < 0 || a[1] > 15 || Math.Floor(a[1]) != a[1])
            ? $"round's digits must be a whole number from 0 to 15 (got {a[1]})"
            : null),
        ["sin"] = new(1, 1, a => Math.Sin(a[0])),
        ["cos"] = new(1, 1, a => Math.Cos(a[0])),
        ["tan"] = new(1, 1, a => Math.Tan(a[0])),
        ["log"] = new(1, 2, a => a.Length == 1 ? Math.Log(a[0]) : Math.Log(a[0], a[1]), LogDomain),
        ["exp"] = new(1, 1, a => Math.Exp(a[0])),
    };

    public static IEnumerable<string> Names => Functions.Keys;

    public static bool TryConstant(string name, out double value)
    {
        value = name switch { "pi" => Math.PI, "e" => Math.E, _ => double.NaN };
        return !double.IsNaN(value);
    }

    public static bool IsFunction(string name) => Functions.ContainsKey(name);

    /// <summary>Applies <paramref name="name"/>; a <see cref="CalculatorError"/> for a wrong argument count or a value outside its domain.</summary>
    public static double Call(string name, double[] args, int position)
    {
        var function = Functions[name];
        if (args.Length < function.MinArgs || args.Length > function.MaxArgs)
        {
            var expected = function.MinArgs == function.MaxArgs ? $"{function.MinArgs}"
                : function.MaxArgs == int.MaxValue ? $"at least {function.MinArgs}"
                : $"{function.MinArgs} or {function.MaxArgs}";
            throw new CalculatorError($"{name} at position {position} takes {expected} argument{(expected == "1" ? "" : "s")}, got {args.Length}");
        }
        if (function.Domain?.Invoke(args) is { } problem) throw new CalculatorError($"{problem} at position {position}");
        return function.Apply(args);
    }

    private static double Round(double[] a) =>
        Math.Round(a[0], a.Length == 2 ? (int)a[1] : 0, MidpointRounding.AwayFromZero);

    private static string? LogDomain(double[] a)
    {
        if (a[0] <= 0) return $"log of a number that is not positive ({a[0]})";
        if (a.Length == 2 && (a[1] <= 0 || a[1] == 1)) return $"log's base must be positive and not 1 (got {a[1]})";
        return null;
    }
}
