namespace LlmSpell.Tools.Tests.Tools;

public sealed class CalculatorTests
{
    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("10 / 4", 2.5)]
    [InlineData("10 - 4 - 3", 3)]
    [InlineData("2 ^ 10", 1024)]
    [InlineData("2 ** 3", 8)]
    [InlineData("2 ^ 3 ^ 2", 512)]
    [InlineData("-2 ^ 2", -4)]
    [InlineData("2 ^ -1", 0.5)]
    [InlineData("--3", 3)]
    [InlineData("-(2 + 3) * +2", -10)]
    [InlineData("7 % 3", 1)]
    [InlineData("-7 % 3", 2)]
    [InlineData("7.5 % 2", 1.5)]
    [InlineData("1.5e3 + .5", 1500.5)]
    [InlineData("2E-2", 0.02)]
    [InlineData("sqrt(16) + abs(-3)", 7)]
    [InlineData("min(4, 2, 8) + max(1, 9)", 11)]
    [InlineData("floor(2.7) + ceil(2.1)", 5)]
    [InlineData("round(2.5) + round(-2.5)", 0)]
    [InlineData("round(3.14159, 2)", 3.14)]
    [InlineData("log(e) + log(100, 10) + exp(0)", 4)]
    [InlineData("sin(0) + cos(0) + tan(0)", 1)]
    [InlineData("round(sin(pi / 2) * 100)", 100)]
    [InlineData("  2*pi  ", 6.283185307179586)]
    [InlineData("-0 * 5", 0)]
    public async Task Evaluates(string expression, double expected) =>
        Assert.Equal(expected, (await ToolRunner.ResultAsync("calculator", $$"""{"expression": "{{expression}}"}""")).GetDouble(), 12);

    [Fact]
    public async Task WholeResultsAreWrittenAsIntegers()
    {
        var result = await ToolRunner.RunAsync("calculator", """{"expression": "6 * 7"}""");
        Assert.Equal("""{"result":42}""", result.GetRawText());
    }

    [Fact]
    public async Task UsesVariables() =>
        Assert.Equal(25, (await ToolRunner.ResultAsync("calculator", """{"expression": "x ^ 2 + y_1", "variables": {"x": 4, "y_1": 9}}""")).GetDouble());

    [Theory]
    [InlineData("1 +", "calculator: unexpected end of the expression at position 4; expected a number, a name or '('.")]
    [InlineData("2 * (3 + 4", "calculator: expected ')' to close the '(' at position 5, found the end of the expression at position 11.")]
    [InlineData("2 + 3)", "calculator: unmatched ')' at position 6.")]
    [InlineData("2 3", "calculator: unexpected '3' at position 3; expected an operator between two values.")]
    [InlineData("2e", "calculator: unexpected 'e' at position 2; expected an operator between two values.")]
    [InlineData("4 $ 2", "calculator: unexpected character '$' at position 3; use numbers, + - * / % ^, parentheses, functions and pi or e.")]
    [InlineData("1 / (2 - 2)", "calculator: division by zero at position 3.")]
    [InlineData("5 % 0", "calculator: division by zero at position 3.")]
    [InlineData("sqrt(-4)", "calculator: sqrt of a negative number (-4) at position 1.")]
    [InlineData("log(0)", "calculator: log of a number that is not positive (0) at position 1.")]
    [InlineData("sqrt(1, 2)", "calculator: sqrt at position 1 takes 1 argument, got 2.")]
    [InlineData("max()", "calculator: max at position 1 takes at least 1 arguments, got 0.")]
    [InlineData("round(1.5, 0.5)", "calculator: round's digits must be a whole number from 0 to 15 (got 0.5) at position 1.")]
    [InlineData("foo(2)", "calculator: unknown function 'foo' at position 1; the functions are: sqrt, abs, min, max, floor, ceil, round, sin, cos, tan, log, exp.")]
    [InlineData("x + 1", "calculator: unknown name 'x' at position 1; the constants are pi and e, other names must be given in variables.")]
    [InlineData("sqrt + 1", "calculator: the function sqrt at position 1 needs its arguments in parentheses, e.g. sqrt(2).")]
    [InlineData("10 ^ 400", "calculator: the result of '^' at position 4 is not a finite number (too large or undefined).")]
    [InlineData("   ", "calculator: the expression is empty.")]
    public async Task BadInputSaysWhatAndWhere(string expression, string message) =>
        Assert.Equal(message, await ToolRunner.FailureAsync("calculator", $$"""{"expression": "{{expression}}"}"""));

    [Fact]
    public async Task LuaOrOtherCodeIsNotRun()
    {
        Assert.StartsWith("calculator: unexpected character '.' at position 3",
            await ToolRunner.FailureAsync("calculator", """{"expression": "os.execute(\"rm -rf /\")"}"""));
        Assert.StartsWith("calculator: unexpected character '\"' at position 6",
            await ToolRunner.FailureAsync("calculator", """{"expression": "load(\"return 1\")()"}"""));
        Assert.StartsWith("calculator: unknown function 'load' at position 1",
            await ToolRunner.FailureAsync("calculator", """{"expression": "load(1)"}"""));
    }

    [Fact]
    public async Task DeepNestingIsRefusedInsteadOfOverflowingTheStack()
    {
        var deep = new string('(', 2000) + "1" + new string(')', 2000);
        Assert.Equal("calculator: the expression nests deeper than 200 levels at position 201.",
            await ToolRunner.FailureAsync("calculator", $$"""{"expression": "{{deep}}"}"""));
        var minuses = new string('-', 2000) + "1";
        Assert.StartsWith("calculator: the expression nests deeper than 200 levels",
            await ToolRunner.FailureAsync("calculator", $$"""{"expression": "{{minuses}}"}"""));
    }

    [Fact]
    public async Task OverlongExpressionIsRefused() =>
        Assert.Equal("calculator: the expression is 10001 characters long, over the 10000-character limit.",
            await ToolRunner.FailureAsync("calculator", $$"""{"expression": "{{new string('1', 10001)}}"}"""));

    [Fact]
    public async Task NonNumericVariableIsRefused() =>
        Assert.Equal("calculator: variable 'x' must be a number, got a string.",
            await ToolRunner.FailureAsync("calculator", """{"expression": "x", "variables": {"x": "3"}}"""));
}
