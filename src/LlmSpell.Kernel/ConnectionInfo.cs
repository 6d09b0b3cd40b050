using System.Text.Json.Serialization;

namespace LlmSpell.Kernel;

/// <summary>Jupyter connection file contents.</summary>
/// <remarks>Setters, not init: the JSON source generator fills init-only properties through a constructor and so
/// drops the defaults below for fields a file omits (older clients write no kernel_name or signature_scheme).</remarks>
public sealed record ConnectionInfo
{
    [JsonPropertyName("transport")] public string Transport { get; set; } = "tcp";
    [JsonPropertyName("ip")] public string Ip { get; set; } = "127.0.0.1";
    [JsonPropertyName("shell_port")] public int ShellPort { get; set; }
    [JsonPropertyName("iopub_port")] public int IopubPort { get; set; }
    [JsonPropertyName("stdin_port")] public int StdinPort { get; set; }
    [JsonPropertyName("control_port")] public int ControlPort { get; set; }
    [JsonPropertyName("hb_port")] public int HbPort { get; set; }
    [JsonPropertyName("key")] public string Key { get; set; } = "";
    [JsonPropertyName("signature_scheme")] public string SignatureScheme { get; set; } = "hmac-sha256";
    [JsonPropertyName("kernel_name")] public string KernelName { get; set; } = "llmspell";
}
