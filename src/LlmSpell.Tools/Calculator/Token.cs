namespace LlmSpell.Tools.Calculator;

internal enum TokenKind { Number, Name, Operator, OpenParen, CloseParen, Comma, End }

/// <summary>One lexeme of an expression; <see cref="Position"/> is 1-based, as the error messages show it.</summary>
internal readonly record struct Token(TokenKind Kind, int Position, string Text, double Number = 0)
{
    public string Describe() => Kind == TokenKind.End ? "the end of the expression" : $"'{Text}'";

    public string Unexpected() => Kind == TokenKind.End ? "unexpected end of the expression" : $"unexpected '{Text}'";
}
