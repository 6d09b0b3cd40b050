namespace LlmSpell.ProviderDoubles;

/// <summary>
/// One HTTP request as the double received it: method, path (without the query string), headers (names compared
/// case-insensitively; repeated headers joined with ", ") and the body as UTF-8 text ("" when there was none).
/// </summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);
