namespace LlmSpell.Tools.Calculator;

/// <summary>
/// Evaluates an arithmetic expression by recursive descent; nothing is compiled or run. Precedence, lowest first:
/// + and -; * / and % (floored, as in Lua); unary minus and plus; ^ (right-associative, so -2^2 is -4 and 2^3^2 is 512).
/// </summary>
internal sealed class ExpressionEvaluator
{
    public const int MaxLength = 10_000;
    private const int MaxDepth = 200;

    private readonly List<Token> _tokens;
    private readonly IReadOnlyDictionary<string, double> _variables;
    private int _next;
    private int _depth;

    private ExpressionEvaluator(List<Token> tokens, IReadOnlyDictionary<string, double> variables)
    {
        _tokens = tokens;
        _variables = variables;
    }

    /// <summary>The value of <paramref name="expression"/>; a <see cref="CalculatorError"/> saying what is wrong and where.</summary>
    public static double Evaluate(string expression, IReadOnlyDictionary<string, double>? variables = null)
    {
        if (string.IsNullOrWhiteSpace(expression)) throw new CalculatorError("the expression is empty");
        if (expression.Length > MaxLength)
            throw new CalculatorError($"the expression is {expression.Length} characters long, over the {MaxLength}-character limit");

        var evaluator = new ExpressionEvaluator(ExpressionLexer.Tokenize(expression), variables ?? new Dictionary<string, double>());
        var value = evaluator.ParseSum();
        var rest = evaluator.Peek;
        if (rest.Kind != TokenKind.End)
            throw new CalculatorError(rest.Kind == TokenKind.CloseParen
                ? $"unmatched ')' at position {rest.Position}"
                : $"{rest.Unexpected()} at position {rest.Position}; expected an operator between two values");
        return value == 0 ? 0 : value; // no "-0" in results
    }

    private Token Peek => _tokens[_next];

    private Token Take() => _tokens[_next++];

    private bool AtOperator(params ReadOnlySpan<string> operators) =>
        Peek.Kind == TokenKind.Operator && operators.Contains(Peek.Text);

    private double ParseSum()
    {
        var left = ParseProduct();
        while (AtOperator("+", "-"))
        {
            var op = Take();
            var right = ParseProduct();
            left = Finite(op.Text == "+" ? left + right : left - right, op);
        }
        return left;
    }

    private double ParseProduct()
    {
        var left = ParseUnary();
        while (AtOperator("*", "/", "%"))
        {
            var op = Take();
            var right = ParseUnary();
            if (op.Text != "*" && right == 0) throw new CalculatorError($"division by zero at position {op.Position}");
            left = Finite(op.Text switch
            {
                "*" => left * right,
                "/" => left / right,
                _ => left - right * Math.Floor(left / right),
            }, op);
        }
        return left;
    }

    private double ParseUnary()
    {
        if (!AtOperator("-", "+")) return ParsePower();
        var op = Take();
        Enter(op);
        var operand = ParseUnary();
        _depth--;
        return op.Text == "-" ? -operand : operand;
    }

    private double ParsePower()
    {
        var value = ParsePrimary();
        if (!AtOperator("^")) return value;
        var op = Take();
        Enter(op);
        var exponent = ParseUnary();
        _depth--;
        return Finite(Math.Pow(value, exponent), op);
    }

    private double ParsePrimary()
    {
        var token = Take();
        switch (token.Kind)
        {
            case TokenKind.Number:
                return token.Number;
            case TokenKind.OpenParen:
                Enter(token);
                var inner = ParseSum();
                Expect(TokenKind.CloseParen, $"')' to close the '(' at position {token.Position}");
                _depth--;
                return inner;
            case TokenKind.Name when Peek.Kind == TokenKind.OpenParen:
                return ParseCall(token);
            case TokenKind.Name:
                if (_variables.TryGetValue(token.Text, out var variable)) return variable;
                if (MathFunctions.TryConstant(token.Text, out var constant)) return constant;
                throw new CalculatorError(MathFunctions.IsFunction(token.Text)
                    ? $"the function {token.Text} at position {token.Position} needs its arguments in parentheses, e.g. {token.Text}(2)"
                    : $"unknown name '{token.Text}' at position {token.Position}; the constants are pi and e, other names must be given in variables");
            default:
                throw new CalculatorError($"{token.Unexpected()} at position {token.Position}; expected a number, a name or '('");
        }
    }

    private double ParseCall(Token name)
    {
        if (!MathFunctions.IsFunction(name.Text))
            throw new CalculatorError(
                $"unknown function '{name.Text}' at position {name.Position}; the functions are: {string.Join(", ", MathFunctions.Names)}");
        var open = Take();
        Enter(open);
        var args = new List<double>();
        if (Peek.Kind != TokenKind.CloseParen)
        {
            args.Add(ParseSum());
            while (Peek.Kind == TokenKind.Comma)
            {
                Take();
                args.Add(ParseSum());
            }
        }
        Expect(TokenKind.CloseParen, $"')' or ',' in the arguments of {name.Text} at position {name.Position}");
        _depth--;
        return Finite(MathFunctions.Call(name.Text, [.. args], name.Position), name);
    }

    private void Expect(TokenKind kind, string what)
    {
        var token = Take();
        if (token.Kind != kind) throw new CalculatorError($"expected {what}, found {token.Describe()} at position {token.Position}");
    }

    private void Enter(Token token)
    {
        if (++_depth > MaxDepth)
            throw new CalculatorError($"the expression nests deeper than {MaxDepth} levels at position {token.Position}");
    }

    private static double Finite(double value, Token at) => double.IsFinite(value)
        ? value
        : throw new CalculatorError($"the result of {at.Describe()} at position {at.Position} is not a finite number (too large or undefined)");
}
