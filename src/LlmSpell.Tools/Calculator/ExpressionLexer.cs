using System.Globalization;

namespace LlmSpell.Tools.Calculator;

/// <summary>Splits an arithmetic expression into tokens: numbers (1, 2.5, .5, 1e-3), names, operators, parentheses, commas.</summary>
internal static class ExpressionLexer
{
    public static List<Token> Tokenize(string expression)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            var start = i;
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < expression.Length && char.IsAsciiDigit(expression[i + 1])))
            {
                i = ScanNumber(expression, i);
                var text = expression[start..i];
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                    throw new CalculatorError($"the number '{text}' at position {start + 1} is not a finite number");
                tokens.Add(new Token(TokenKind.Number, start + 1, text, value));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < expression.Length && (char.IsAsciiLetterOrDigit(expression[i]) || expression[i] == '_')) i++;
                tokens.Add(new Token(TokenKind.Name, start + 1, expression[start..i]));
            }
            else if (c == '*' && i + 1 < expression.Length && expression[i + 1] == '*')
            {
                tokens.Add(new Token(TokenKind.Operator, start + 1, "^"));
                i += 2;
            }
            else
            {
                var kind = c switch
                {
                    '+' or '-' or '*' or '/' or '%' or '^' => TokenKind.Operator,
                    '(' => TokenKind.OpenParen,
                    ')' => TokenKind.CloseParen,
                    ',' => TokenKind.Comma,
                    _ => throw new CalculatorError(
                        $"unexpected character '{c}' at position {start + 1}; use numbers, + - * / % ^, parentheses, functions and pi or e"),
                };
                tokens.Add(new Token(kind, start + 1, c.ToString()));
                i++;
            }
        }
        tokens.Add(new Token(TokenKind.End, expression.Length + 1, ""));
        return tokens;
    }

    private static int ScanNumber(string s, int i)
    {
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        }
        // An exponent only when digits follow, so "2e" stays 2 then the name e (and fails as two values in a row).
        if (i < s.Length && (s[i] is 'e' or 'E'))
        {
            var j = i + 1;
            if (j < s.Length && (s[j] is '+' or '-')) j++;
            if (j < s.Length && char.IsAsciiDigit(s[j]))
            {
                while (j < s.Length && char.IsAsciiDigit(s[j])) j++;
                i = j;
            }
        }
        return i;
    }
}

/// <summary>A bad expression: the message says what and where; <see cref="CalculatorTool"/> prefixes the tool name.</summary>
internal sealed class CalculatorError(string message) : Exception(message);
